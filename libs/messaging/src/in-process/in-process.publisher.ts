import { OutgoingMessage, WorkPublisher } from '../contracts';
import { getDefaultInProcessBroker, InProcessBroker } from './in-process.broker';

/** Publishes into an in-memory broker; "stored" means queued in this process. */
export class InProcessPublisher implements WorkPublisher {
  constructor(private readonly broker: InProcessBroker = getDefaultInProcessBroker()) {}

  async publish(message: OutgoingMessage): Promise<void> {
    this.broker.publish(message);
  }

  async publishMany(messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.broker.publish(message);
  }

  async isReady(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    // The broker outlives its publishers; nothing to release.
  }
}
