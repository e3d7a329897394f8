/*
 * The IPC time limits mail_proto reads from main.cf: Postfix's defaults, and units.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mailConfRead } from '../../src/global/mail_conf.js';
import { varEventDrain, varIpcIdle, varIpcTimeout, varIpcTtl, varTriggerTimeout } from '../../src/global/mail_proto.js';
import { tempDir } from '../helpers/diff.js';

const CASES: [string, string, number[]][] = [
  ['defaults', '', [3600, 5, 1000, 10, 100]],
  ['values with units', 'ipc_timeout = 2m\nipc_idle = 7\nipc_ttl = 1h\ntrigger_timeout = 1d\napplication_event_drain_time = 1w\n',
    [120, 7, 3600, 86400, 604800]],
];

for (const [title, mainCf, seconds] of CASES) {
  test.serial(title, (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'main.cf'), mainCf);
    process.env.MAIL_CONFIG = dir;
    mailConfRead();
    t.deepEqual([varIpcTimeout(), varIpcIdle(), varIpcTtl(), varTriggerTimeout(), varEventDrain()], seconds);
  });
}
