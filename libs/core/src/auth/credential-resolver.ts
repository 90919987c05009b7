import { ActorContext } from './actor-context';

/** Turns a bearer token into an actor; provided by the merchants context. */
export abstract class CredentialResolver {
  abstract resolve(bearerToken: string): Promise<ActorContext | null>;
}
