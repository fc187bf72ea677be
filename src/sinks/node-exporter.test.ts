import { describe, expect, it } from 'vitest';
import { metricsUrl, parseNodeExporterArgs } from './node-exporter.js';

describe('parseNodeExporterArgs', () => {
  it('reads the textfile dir in both flag forms and the listen address', () => {
    expect(parseNodeExporterArgs(['--collector.textfile.directory=/a', '--web.listen-address=127.0.0.1:9200'])).toEqual(
      {
        textfileDirs: ['/a'],
        textfileEnabled: true,
        listenAddresses: ['127.0.0.1:9200'],
      },
    );
    expect(parseNodeExporterArgs(['--collector.textfile.directory', '/b']).textfileDirs).toEqual(['/b']);
    expect(parseNodeExporterArgs([]).listenAddresses).toEqual([':9100']);
  });

  it('knows when the textfile collector is off', () => {
    expect(parseNodeExporterArgs(['--no-collector.textfile']).textfileEnabled).toBe(false);
    expect(parseNodeExporterArgs(['--collector.disable-defaults', '--collector.cpu']).textfileEnabled).toBe(false);
    expect(parseNodeExporterArgs(['--collector.disable-defaults', '--collector.textfile']).textfileEnabled).toBe(true);
  });
});

describe('metricsUrl', () => {
  it('turns wildcard listen addresses into loopback', () => {
    expect(metricsUrl(':9100')).toBe('http://127.0.0.1:9100/metrics');
    expect(metricsUrl('0.0.0.0:9101')).toBe('http://127.0.0.1:9101/metrics');
    expect(metricsUrl('[::]:9102')).toBe('http://127.0.0.1:9102/metrics');
    expect(metricsUrl('10.0.0.5:9100')).toBe('http://10.0.0.5:9100/metrics');
  });
});
