import { MemoryStorage } from 'botbuilder';
import { describeStorageContract } from './storageContract';

// The reference implementation: the contract suite must hold for botbuilder's own MemoryStorage too.
describeStorageContract('MemoryStorage', () => new MemoryStorage(), { atomicMultiKeyWrites: false });
