// Loaded before any schema is built. A oneshot run parses each schema a few times: zod's generated validators
// (built with `new Function` when a schema is made) cost more start-up than they save (issue 13).
import { z } from 'zod';

z.config({ jitless: true });
