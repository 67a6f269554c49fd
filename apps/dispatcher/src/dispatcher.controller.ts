import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { NoticeEventMessage, PermanentFailure, Subjects } from '@sne/messaging';
import { FanOutService } from './fan-out.service';

@Controller()
export class DispatcherController {
  constructor(private readonly fanOut: FanOutService) {}

  @EventPattern(Subjects.noticeEvents)
  async onNoticeEvent(@Payload() event: NoticeEventMessage): Promise<void> {
    if (typeof event?.noticeId !== 'string') throw new PermanentFailure('notice event without a notice id');
    if (event.type === 'notice.published') await this.fanOut.noticePublished(event.noticeId);
    else if (event.type === 'notice.cancelled') await this.fanOut.noticeCancelled(event.noticeId);
    else throw new PermanentFailure(`unknown notice event ${JSON.stringify(event.type)}`);
  }
}
