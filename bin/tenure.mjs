#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so `npx tenure` works right after `npm install`
// without a separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
