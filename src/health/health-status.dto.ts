export class HealthStatusDto {
  /** @example "ok" */
  status!: 'ok';
}
