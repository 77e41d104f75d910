import { Injectable } from '@nestjs/common';

/**
 * Whether this instance wants new requests. A SIGTERMed instance turns it off
 * before it stops listening, so a load balancer that checks `/health/ready`
 * takes it out of rotation while it still answers everything sent to it.
 */
@Injectable()
export class Readiness {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }
}
