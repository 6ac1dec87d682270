// Entry of scripts/ntcb-decode (run it through that wrapper, which runs it with tsx).
import { createInterface } from 'node:readline';
import { NTCB_DECODE_HELP, NtcbLineDecoder } from './ntcb-decode-lines';

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${NTCB_DECODE_HELP}\n`);
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`unknown arguments: ${args.join(' ')}\n\n${NTCB_DECODE_HELP}\n`);
    return 2;
  }
  const decoder = new NtcbLineDecoder();
  const write = (lines: readonly string[]): void => {
    for (const line of lines) process.stdout.write(`${line}\n`);
  };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    write(decoder.line(line));
  }
  write(decoder.end());
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
