import { BaseRpcContext } from '@nestjs/microservices';

type JetStreamContextArgs = [subject: string, msgId: string | undefined, deliveryCount: number, streamSequence: number | undefined];

/**
 * What a work handler may know about the delivery besides the payload (inject with `@Ctx()`).
 * Both transports pass it, so handlers do not depend on which one runs them.
 */
export class JetStreamContext extends BaseRpcContext<JetStreamContextArgs> {
  constructor(subject: string, msgId: string | undefined, deliveryCount: number, streamSequence?: number) {
    super([subject, msgId, deliveryCount, streamSequence]);
  }

  /** The subject relative to the prefix, e.g. `delivery.jobs` (the `@EventPattern`). */
  get subject(): string {
    return this.args[0];
  }

  /** The publisher's de-duplication key (`Nats-Msg-Id`). */
  get msgId(): string | undefined {
    return this.args[1];
  }

  /** 1 on the first delivery, 2 on the first redelivery, and so on. */
  get deliveryCount(): number {
    return this.args[2];
  }

  /** The stream sequence (JetStream only), for log correlation. */
  get streamSequence(): number | undefined {
    return this.args[3];
  }
}
