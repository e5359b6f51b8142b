// 消息通道: how the bureau reaches a person (a one-time code today; invitations and vouchers later). The channel is an
// adapter: production would send through the government SMS platform or the social-security card's app; the
// default, the simulator, keeps each message in the read model's outbox (OutboxMessage) and hands its text back so
// a demo or a test can show what the person would have received. Never logged: a code is a credential.
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db';

export interface OutgoingMessage {
  /** the person's pseudonymous key (the channel's own directory knows how to reach them) */
  recipient: string;
  purpose: 'SELF_SERVICE_CODE' | 'CLASS_INVITATION' | 'TRAINING_VOUCHER';
  text: string;
}

export interface MessageChannel {
  readonly name: string;
  /** Sends; a simulated channel answers the text it would have delivered, a real one nothing. */
  send(message: OutgoingMessage): Promise<{ simulatedText?: string }>;
}

export class SimulatedChannel implements MessageChannel {
  readonly name = 'SIMULATED';
  constructor(private readonly db: Db) {}

  async send(message: OutgoingMessage): Promise<{ simulatedText: string }> {
    await this.db.outboxMessage.create({
      data: {
        id: randomUUID(),
        channel: this.name,
        recipient: message.recipient,
        purpose: message.purpose,
        body: message.text,
      },
    });
    return { simulatedText: message.text };
  }
}
