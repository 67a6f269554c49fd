import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, CustomTransportStrategy, EventPattern, Payload } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import { JetStreamContext, Subjects } from '@sne/messaging';

/** What the test controller does with each delivery job (may throw, return a Promise or an Observable). */
export type Behaviour = (data: any, ctx: JetStreamContext) => unknown;

const BEHAVIOUR = 'WORK_TEST_BEHAVIOUR';

@Controller()
class WorkTestController {
  constructor(@Inject(BEHAVIOUR) private readonly behaviour: Behaviour) {}

  @EventPattern(Subjects.deliveryJobs)
  onDeliveryJob(@Payload() data: unknown, @Ctx() ctx: JetStreamContext): unknown {
    return this.behaviour(data, ctx);
  }
}

@Module({})
class WorkTestModule {
  static with(behaviour: Behaviour): DynamicModule {
    return { module: WorkTestModule, controllers: [WorkTestController], providers: [{ provide: BEHAVIOUR, useValue: behaviour }] };
  }
}

/** A real Nest microservice on the given transport whose delivery-jobs handler runs `behaviour`. */
export async function startWorkApp(strategy: CustomTransportStrategy, behaviour: Behaviour): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(WorkTestModule.with(behaviour), {
    strategy,
    logger: process.env.TEST_LOGS ? ['log', 'error', 'warn', 'debug'] : false,
  });
  await app.listen();
  return app;
}
