import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, Role, ROLES } from '@sne/core';
import { hasRole, Principal } from '../common/principal';

export interface NavItem {
  href: string;
  label: string;
  current: boolean;
}

export interface ConsoleUser {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  roleLabels: string;
  agencyId: string;
  agencyName: string;
  timeZone: string;
  is: Record<Role, boolean>;
}

export interface PageModel {
  title: string;
  user: ConsoleUser;
  nav: NavItem[];
  csrf: string;
  flash?: string;
  devMailbox: boolean;
  [key: string]: unknown;
}

/** Fixed messages shown after a redirect (`?done=<code>`): never text taken from the URL. */
const FLASH: Record<string, string> = {
  created: 'The draft was saved.',
  saved: 'Your changes were saved.',
  submitted: 'The notice was submitted for review. A second person must approve it.',
  approved: 'The notice was approved and published. Deliveries have started.',
  rejected: 'The notice was sent back to its author with your reasons.',
  cancelled: 'The notice was cancelled. Every recipient is being told.',
  update_drafted: 'The update was saved as a draft. Submit it for review when it is ready.',
  acknowledged: 'Acknowledged for your agency.',
  overridden: 'The finding was accepted with your justification. It is recorded in the audit log.',
  answered: 'Your answers were recorded.',
  retried: 'The delivery was queued again. It keeps its id, so receivers see the same webhook-id.',
  retried_all: 'Every failed delivery of this subscription was queued again.',
  paused: 'The subscription is paused. Nothing is delivered to it until you resume it.',
  resumed: 'The subscription is active again. Any notices held for it are being sent now.',
  tested: 'A test event was sent. Its result appears below.',
  sub_saved: 'The subscription was saved.',
  sub_deleted: 'The subscription was deleted. Anything still owed to it goes to your fallback contacts by email.',
  user_created: 'The user was created. Set a password so they can sign in.',
  password_set: 'The password was set. Their other sessions were signed out.',
  password_changed: 'Your password was changed. Your other sessions were signed out.',
  key_created: 'The API key was created.',
  key_revoked: 'The API key was revoked. It stops working at once.',
  agency_created: 'The agency was added to the partnership.',
  agency_saved: 'The agency’s details were saved.',
  user_saved: 'The name and email address were saved. They sign in with this email address.',
  roles_changed: 'The roles were saved. They apply at once, to every session and key of this user.',
  user_disabled: 'The user was disabled and signed out everywhere. Their keys stop working at once.',
  user_enabled: 'The user was enabled. They can sign in again, and their keys that are not revoked work again.',
  sessions_ended: 'The user was signed out everywhere.',
  contacts_saved: 'The contacts were saved.',
  agency_offboarded: 'The agency was offboarded. Its people were signed out and its keys stopped working. Its records stay.',
  agency_reinstated: 'The agency was reinstated. Its people can sign in again.',
  topic_saved: 'The topic was saved.',
  topic_created: 'The topic was added to the catalogue.',
  signed_out: 'You have signed out.',
  reminded: 'A reminder was sent to every agency that still owes a response, through its own channels.',
  reminded_some: 'Reminders were sent. Agencies reminded within the last hour were left out: see the timeline of each.',
  resent: 'The notice was sent again to the agency, with your note.',
  action_assigned: 'The action is marked underway and assigned.',
  enquiries_saved: 'The contact was saved. Recipients will see it with the notice.',
  preferences_saved: 'Your email setting was saved.',
  attached: 'The file was attached. The notice changed, so any earlier review no longer counts.',
  attachment_removed: 'The attachment was removed. The notice changed, so any earlier review no longer counts.',
  wave_opened: 'The survey wave was opened. Add each team’s addresses, then send the invitations.',
  wave_closed: 'The wave was closed. It takes no more answers, and links and codes not yet used no longer work.',
  review_drafted: 'The draft was prefilled from the review: its findings, its recommendations as required actions and its reference. Check it, then submit it for approval.',
};

export function flashOf(req: Request): string | undefined {
  const code = typeof req.query?.done === 'string' ? req.query.done : undefined;
  // Own keys only: ?done=constructor must not find Object's.
  return code && Object.hasOwn(FLASH, code) ? FLASH[code] : undefined;
}

const ALL_ROLES: readonly Role[] = ROLES;

/** Builds what every console page shows around its content: who is signed in and the navigation. */
@Injectable()
export class ConsolePages {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The dev mailbox exists only while no SMTP server is configured. */
  get devMailbox(): boolean {
    return !this.config.smtpUrl;
  }

  async user(p: Principal): Promise<ConsoleUser> {
    const [agency] = await this.db.query(`SELECT name, time_zone FROM agencies WHERE id = $1`, [p.agencyId]);
    return {
      id: p.userId,
      name: p.name,
      email: p.email,
      roles: p.roles,
      roleLabels: p.roles.map(roleLabel).join(', '),
      agencyId: p.agencyId,
      agencyName: agency?.name ?? '',
      timeZone: agency?.time_zone ?? 'UTC',
      is: Object.fromEntries(ALL_ROLES.map((r) => [r, p.roles.includes(r)])) as Record<Role, boolean>,
    };
  }

  async model(p: Principal, req: Request, title: string, section: string, extra: Record<string, unknown> = {}): Promise<PageModel> {
    return {
      title,
      user: await this.user(p),
      nav: navFor(p, section),
      csrf: p.csrfToken ?? '',
      flash: flashOf(req),
      devMailbox: this.devMailbox,
      ...extra,
    };
  }
}

export function roleLabel(r: string): string {
  return (
    {
      admin: 'Partnership admin',
      agency_admin: 'Agency admin',
      author: 'Author',
      approver: 'Approver',
      supervisor: 'Supervisor',
      reviewer: 'Reviewer',
      review_lead: 'Review lead',
      analyst: 'Analyst',
    } as Record<string, string>
  )[r] ?? r;
}

export function navFor(p: Principal, section: string): NavItem[] {
  const items: { key: string; href: string; label: string; show: boolean }[] = [
    { key: 'home', href: '/console', label: 'Overview', show: true },
    { key: 'notices', href: '/console/notices', label: 'Notices', show: true },
    { key: 'inbox', href: '/console/inbox?state=owed', label: 'Inbox', show: true },
    { key: 'new', href: '/console/notices/new', label: 'New notice', show: hasRole(p, 'author') },
    { key: 'review', href: '/console/notices?status=in_review', label: 'Review', show: hasRole(p, 'approver') },
    { key: 'reviews', href: '/console/reviews', label: 'Reviews', show: true },
    { key: 'reporting', href: '/console/reporting', label: 'Reporting', show: true },
    { key: 'culture', href: hasRole(p, 'analyst', 'admin') ? '/console/culture' : '/console/culture/agency', label: 'Culture', show: hasRole(p, 'analyst', 'admin', 'agency_admin', 'supervisor') },
    { key: 'dashboard', href: '/console/dashboard', label: 'Dashboard', show: hasRole(p, 'supervisor', 'admin') },
    { key: 'subscriptions', href: '/console/subscriptions', label: 'Subscriptions', show: hasRole(p, 'agency_admin') },
    { key: 'surveys', href: '/console/surveys', label: 'Surveys', show: hasRole(p, 'agency_admin', 'supervisor') },
    { key: 'admin', href: '/console/admin', label: 'Administration', show: hasRole(p, 'agency_admin', 'admin') },
    { key: 'account', href: '/console/account', label: 'Your account', show: true },
  ];
  return items.filter((i) => i.show).map((i) => ({ href: i.href, label: i.label, current: i.key === section }));
}

/** The page itself enforces who may use it (the guard checks the table's roles too). */
export function requireRole(p: Principal, ...roles: Role[]): void {
  if (!hasRole(p, ...roles)) throw new ForbiddenException(roleRefusal(roles, p));
}

/** "This page is for approvers. You are signed in as author." */
export function roleRefusal(roles: string[], p?: Principal): string {
  const who = p?.roles?.length ? ` You are signed in as ${p.roles.map(roleLabel).join(', ').toLowerCase()}.` : '';
  return `This page is for ${roles.map((r) => `${roleLabel(r).toLowerCase()}s`).join(' or ')}.${who}`;
}
