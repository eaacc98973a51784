// How the repository's commands end: main's exit status, or a one-line error and 1.
// Also the JSON file each benchmark and soak writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}

/** Writes `value` as indented JSON (creating the folder) and says where. */
export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
  console.log(`JSON: ${file}`);
}
