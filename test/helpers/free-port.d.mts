export function freePort(): Promise<number>;
export function accepts(port: number, host?: string): Promise<boolean>;
