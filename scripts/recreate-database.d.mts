/** Drops and creates the database of `url` (on every node of a Citus cluster); resolves to whether it is on Citus. */
export function recreateDatabase(url: string, options?: { expectCitus?: boolean }): Promise<boolean>;
