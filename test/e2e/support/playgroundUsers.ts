import { PLAYGROUND_USERS } from '../../../src/emulator';

/** A person of the Playground's tenant (the same six as its built-in configuration). */
export interface PlaygroundPerson {
  /** Channel user id: what `from.id` carries. */
  id: string;
  name: string;
  /** Entra object id: what the bot's RBAC lookups use. The demo seed gives Alex Owner and Megan Lab Creator. */
  aadObjectId: string;
  userPrincipleName: string;
  givenName: string;
  surname: string;
  email: string;
}

function person(index: number, givenName: string, surname: string, login: string, aadObjectId?: string): PlaygroundPerson {
  return {
    id: `user-id-${index}`,
    name: `${givenName} ${surname}`,
    aadObjectId: aadObjectId ?? `00000000-0000-0000-0000-00000000000${20 + index}`,
    userPrincipleName: `${login}@example.com`,
    givenName,
    surname,
    email: `${login}@example.com`,
  };
}

/** Who signs in to the Playground, by the role the demo gives them on both lab hosts. */
export const PEOPLE = {
  admin: person(0, 'Alex', 'Wilber', 'alexw', PLAYGROUND_USERS.currentUser),
  teacher: person(1, 'Megan', 'Bowen', 'meganb', PLAYGROUND_USERS.teacher),
  member: person(2, 'Adele', 'Vance', 'adelev'),
  isaiah: person(3, 'Isaiah', 'Langer', 'isaiahl'),
  patti: person(4, 'Patti', 'Fernandez', 'pattif'),
  lynne: person(5, 'Lynne', 'Robbins', 'lynner'),
} as const;

export type PersonKey = keyof typeof PEOPLE;

export const BOT = { id: '00000000-0000-0000-0000-00000000000011', name: 'Test Bot' } as const;
export const TEAM = { id: 'team-id', name: 'My Team', announcements: 'channel-announcements-id' } as const;

/**
 * The Playground's configuration file (schema 0.1.1; JSON is YAML) with `current` signed in. The Playground
 * 0.2.28 has no way to change the signed-in user in its UI: typed messages always come from `currentUser`
 * (only card invokes honour the `from.id` the page sends). Signing in as someone else means starting it
 * with this file naming them. Conversation ids stay the same for every user (the personal chat's id is
 * per user), so the bot sees one team and one group chat whoever is signed in.
 */
export function playgroundConfigFile(current: PersonKey): string {
  const others = (Object.keys(PEOPLE) as PersonKey[]).filter((k) => k !== current).map((k) => PEOPLE[k]);
  const config = {
    version: '0.1.1',
    tenantId: '00000000-0000-0000-0000-0000000000001',
    bot: BOT,
    currentUser: PEOPLE[current],
    users: others,
    personalChat: { id: `personal-chat-${PEOPLE[current].id}` },
    groupChat: { id: 'group-chat-id', name: 'Group Chat' },
    team: {
      id: TEAM.id,
      name: TEAM.name,
      aadGroupId: '00000000-0000-0000-0000-000000000031',
      channels: [{ id: TEAM.announcements, name: 'Announcements' }],
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
