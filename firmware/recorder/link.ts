/**
 * The serial line to the wand (serialport), as a queue of received lines the recorder awaits with a
 * timeout. A port that disappears (unplugged, pseudo-terminal closed) ends the queue with a reason.
 */
import { ReadlineParser, SerialPort } from 'serialport';

export type LinkEvent = { kind: 'line'; line: string } | { kind: 'closed'; reason: string } | { kind: 'timeout' };

export interface WandLink {
  send(line: string): Promise<void>;
  /** The next received line, or why none will come. */
  next(timeoutMs: number): Promise<LinkEvent>;
  close(): Promise<void>;
}

export class SerialLink implements WandLink {
  private readonly lines: string[] = [];
  private closedReason: string | undefined;
  private wake: (() => void) | undefined;

  private constructor(private readonly port: SerialPort) {
    const parser = port.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
    parser.on('data', (line: string) => {
      this.lines.push(line.replace(/\r$/, ''));
      this.notify();
    });
    port.on('close', (err?: Error & { disconnected?: boolean }) => this.finish(err?.disconnected ? 'the port disappeared (unplugged?)' : 'the port closed'));
    port.on('error', (err: Error) => this.finish(`port error: ${err.message}`));
  }

  static open(path: string, baudRate: number): Promise<SerialLink> {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    return new Promise((resolve, reject) => {
      port.open((err) => (err ? reject(new Error(`cannot open ${path}: ${err.message}`)) : resolve(new SerialLink(port))));
    });
  }

  send(line: string): Promise<void> {
    if (this.closedReason) return Promise.reject(new Error(this.closedReason));
    return new Promise((resolve, reject) => {
      this.port.write(`${line}\n`, (err) => {
        if (!err) return this.port.drain(() => resolve());
        // A device that is gone (unplugged, pseudo-terminal closed) fails the write with EIO/ENXIO, often before
        // serialport reports the close: it is the same event, so it ends the link with the same reason.
        if (/\bE(IO|NXIO)\b/.test(err.message)) this.finish('the port disappeared (unplugged?)');
        reject(new Error(this.closedReason ?? `cannot write to the port: ${err.message}`));
      });
    });
  }

  async next(timeoutMs: number): Promise<LinkEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return { kind: 'line', line };
      if (this.closedReason) return { kind: 'closed', reason: this.closedReason };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): Promise<void> {
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private finish(reason: string): void {
    this.closedReason ??= reason;
    this.notify();
  }
}

export interface FoundPort {
  path: string;
  description: string;
}

/**
 * The serial ports on this machine. serialport lists them with `udevadm` on Linux; where that is
 * missing (containers, minimal systems) the usual device names are listed instead.
 */
export async function listPorts(devices: () => string[]): Promise<{ ports: FoundPort[]; note?: string }> {
  try {
    const ports = await SerialPort.list();
    return { ports: ports.map((p) => ({ path: p.path, description: [p.manufacturer, p.serialNumber].filter(Boolean).join(' ') })) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const note = e.code === 'ENOENT' ? 'udevadm is not installed, so ports are listed by device name only' : `listing ports failed: ${e.message}`;
    return { ports: devices().map((path) => ({ path, description: '' })), note };
  }
}
