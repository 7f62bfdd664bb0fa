import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CapabilitiesMessage } from '@agentos/contracts';
import { LiveToolCatalog } from './live-tool-catalog';

/** Feeds workers' capability announcements (broadcast to every supervisor instance) into the live catalog. */
@Controller()
export class CapabilitiesController {
  constructor(@Inject(LiveToolCatalog) private readonly catalog: LiveToolCatalog) {}

  @EventPattern('capabilities')
  onCapabilities(@Payload() announcement: CapabilitiesMessage): void {
    this.catalog.record(announcement);
  }
}
