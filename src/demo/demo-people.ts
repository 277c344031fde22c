import type { Role } from '../platform/auth/roles.ts';

/** A demo user. Passwords are set only when ASSAY_DEMO_PASSWORD is given (never a default secret). */
export interface DemoPerson {
  username: string;
  displayName: string;
  role: Role;
  email: string;
}

/** The people of the demo organisation (Northwind Bank & Insurance). */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    username: 'grace.hopper',
    displayName: 'Grace Hopper',
    role: 'governance',
    email: 'grace.hopper@northwind.example',
  },
  {
    username: 'gov.tariq',
    displayName: 'Tariq Aziz',
    role: 'governance',
    email: 'tariq.aziz@northwind.example',
  },
  {
    username: 'olivia.chen',
    displayName: 'Olivia Chen',
    role: 'owner',
    email: 'olivia.chen@northwind.example',
  },
  {
    username: 'marcus.owusu',
    displayName: 'Marcus Owusu',
    role: 'owner',
    email: 'marcus.owusu@northwind.example',
  },
  {
    username: 'sofia.garcia',
    displayName: 'Sofia García',
    role: 'owner',
    email: 'sofia.garcia@northwind.example',
  },
  {
    username: 'dev.priya',
    displayName: 'Priya Natarajan',
    role: 'developer',
    email: 'priya.natarajan@northwind.example',
  },
  {
    username: 'dev.lukas',
    displayName: 'Lukas Becker',
    role: 'developer',
    email: 'lukas.becker@northwind.example',
  },
  {
    username: 'dev.amara',
    displayName: 'Amara Okafor',
    role: 'developer',
    email: 'amara.okafor@northwind.example',
  },
  {
    username: 'val.victor',
    displayName: 'Victor Lindqvist',
    role: 'validator',
    email: 'victor.lindqvist@northwind.example',
  },
  { username: 'val.wen', displayName: 'Wen Zhao', role: 'validator', email: 'wen.zhao@northwind.example' },
  {
    username: 'appr.amy',
    displayName: 'Amy Fischer (CRO office)',
    role: 'approver',
    email: 'amy.fischer@northwind.example',
  },
  {
    username: 'appr.raj',
    displayName: 'Raj Mehta (Business Risk)',
    role: 'approver',
    email: 'raj.mehta@northwind.example',
  },
  {
    username: 'audit.alex',
    displayName: 'Alex Morgan (Internal Audit)',
    role: 'auditor',
    email: 'alex.morgan@northwind.example',
  },
];
