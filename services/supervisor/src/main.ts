import 'reflect-metadata';
import { runStandaloneService } from '@agentos/runtime';
import { supervisorService } from './supervisor.app';

runStandaloneService('supervisor', supervisorService);
