import 'reflect-metadata';
import { runStandaloneService } from '@agentos/runtime';
import { workerLogicService } from './worker-logic.app';

runStandaloneService('worker-logic', workerLogicService);
