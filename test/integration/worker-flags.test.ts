// Pure, but named with the worker's integration tests, whose rooms these files are.
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../lib/config/env';
import { parseWorkerFlags } from '../../worker/flags';

describe("the worker's flags", () => {
  it.each([
    [[], { configFile: undefined, listen: undefined, help: false }],
    [['--config.file', 'profd.yml'], { configFile: 'profd.yml', listen: undefined, help: false }],
    [['--config.file=profd.yml', '--web.listen-address=:9200'], { configFile: 'profd.yml', listen: { host: '', port: 9200 }, help: false }],
    [['--web.listen-address', '[::1]:0'], { configFile: undefined, listen: { host: '::1', port: 0 }, help: false }],
    [['-h'], { configFile: undefined, listen: undefined, help: true }],
  ])('%j', (argv, expected) => {
    expect(parseWorkerFlags(argv)).toEqual(expected);
  });

  it.each([
    [['--config', 'x.yml'], /Unknown option '--config'[\s\S]*usage: npm run worker -- \[flags\]/],
    [['profd.yml'], /Unexpected argument 'profd.yml'[\s\S]*--config.file <path>/],
    [['--web.listen-address', 'localhost'], /--web.listen-address="localhost": must be host:port, e.g. 127.0.0.1:9101/],
    [['--web.listen-address', '127.0.0.1:70000'], /--web.listen-address="127.0.0.1:70000": must be host:port/],
  ])('refuses %j, saying why', (argv, message) => {
    expect(() => parseWorkerFlags(argv)).toThrow(message);
  });
});

describe("the worker's environment", () => {
  it('listens on 127.0.0.1:9101 and queues 5000 profiles by default', () => {
    expect(readEnv({})).toMatchObject({ workerListen: { host: '127.0.0.1', port: 9101 }, workerQueueSize: 5000 });
  });

  it('reads PROFD_WORKER_LISTEN and PROFD_WORKER_QUEUE_SIZE', () => {
    expect(readEnv({ PROFD_WORKER_LISTEN: '0.0.0.0:9200', PROFD_WORKER_QUEUE_SIZE: '100' })).toMatchObject({
      workerListen: { host: '0.0.0.0', port: 9200 },
      workerQueueSize: 100,
    });
  });

  it('lists both bad worker variables in one message', () => {
    expect(() => readEnv({ PROFD_WORKER_LISTEN: '9101', PROFD_WORKER_QUEUE_SIZE: '0' })).toThrow(
      /invalid environment:\n {2}PROFD_WORKER_LISTEN="9101": must be host:port.*\n {2}PROFD_WORKER_QUEUE_SIZE="0": must be from 1 to 1000000/,
    );
  });
});
