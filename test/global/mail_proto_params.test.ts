/*
 * The IPC time limits mail_proto reads from main.cf: Postfix's defaults, and units.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mailConfRead } from '../../src/global/mail_conf.js';
import { varEventDrain, varIpcIdle, varIpcTimeout, varIpcTtl, varTriggerTimeout } from '../../src/global/mail_proto.js';
import { tempDir } from '../helpers/diff.js';

test.serial('defaults', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'main.cf'), '');
  process.env.MAIL_CONFIG = dir;
  mailConfRead();
  t.deepEqual([varIpcTimeout(), varIpcIdle(), varIpcTtl(), varTriggerTimeout(), varEventDrain()], [3600, 5, 1000, 10, 100]);
});

test.serial('values with units', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'main.cf'), 'ipc_timeout = 2m\nipc_idle = 7\nipc_ttl = 1h\ntrigger_timeout = 1d\napplication_event_drain_time = 1w\n');
  process.env.MAIL_CONFIG = dir;
  mailConfRead();
  t.deepEqual([varIpcTimeout(), varIpcIdle(), varIpcTtl(), varTriggerTimeout(), varEventDrain()], [120, 7, 3600, 86400, 604800]);
});
