/**
 * Runs a command to completion without blocking the event loop (the HTTP fixtures the commands
 * talk to live in the test process): our client commands from dist/, the original Python ones.
 */
import { spawn } from 'node:child_process';
import { commandPath } from '../../../src/cli/command-path.js';

export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly input?: string;
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
}

export function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The compiled entry point of one of our commands (`bagpipe-looking-glass`, …). */
export function cliPath(command: string): string {
  return commandPath(command);
}

/** Runs one of our commands with node. */
export function runCli(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [cliPath(command), ...args], options);
}
