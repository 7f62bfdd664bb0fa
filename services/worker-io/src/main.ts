import 'reflect-metadata';
import { runStandaloneService } from '@agentos/runtime';
import { workerIoService } from './worker-io.app';

runStandaloneService('worker-io', workerIoService);
