/** `npm run doctor`: see src/ops/doctor/doctor.ts. Prints one line per check and exits 0 or 1. */
import { runDoctor } from './doctor/doctor';

runDoctor({ write: (line) => process.stdout.write(`${line}\n`) }).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`The doctor itself failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
