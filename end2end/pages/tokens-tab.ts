import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';
import { callServerFn } from '../support/rpc';

export type Level = 'none' | 'read' | 'write';

export type TokenView = {
  id: string;
  name: string;
  prefix: string;
  scope_label: string;
  status: 'active' | 'suspended' | 'expired' | 'revoked';
  /** As granted, one level per resource (`agents`, `knowledge_base`, …). */
  permissions: Record<string, Level>;
};

export type Preset = 'Full access' | 'Read only' | 'Custom';

/** A level's name in the permission grid. */
export type LevelLabel = 'No access' | 'Read' | 'Write';

/**
 * One resource's row of a permission grid inside `scope` (the create dialog or a token's
 * detail): a radio group named after the resource, one radio per level.
 */
export function permissionRow(scope: Locator, resource: string): Locator {
  return scope.getByTestId('permission-grid').getByRole('radiogroup', { name: resource, exact: true });
}

export function levelRadio(scope: Locator, resource: string, level: LevelLabel): Locator {
  return permissionRow(scope, resource).getByRole('radio', { name: level, exact: true });
}

export type CreatedToken = { token: TokenView; plaintext: string };

/** Settings › API Tokens. Cards and rows are both `data-testid="token"`. */
export class TokensTab {
  readonly createButton: Locator;
  readonly tokens: Locator;
  readonly search: Locator;
  readonly statusFilter: Locator;
  readonly scopeFilter: Locator;
  readonly sort: Locator;
  readonly cardsToggle: Locator;
  readonly tableToggle: Locator;
  readonly table: Locator;
  readonly cardList: Locator;
  readonly range: Locator;
  readonly empty: Locator;
  readonly refusal: Locator;

  constructor(readonly page: Page) {
    this.createButton = page.getByRole('button', { name: 'Create API token' });
    this.tokens = page.getByTestId('token');
    this.search = page.getByRole('searchbox', { name: 'Search' });
    this.statusFilter = page.getByLabel('Status', { exact: true });
    this.scopeFilter = page.getByLabel('Scope', { exact: true });
    this.sort = page.getByLabel('Sort by');
    this.cardsToggle = page.getByRole('button', { name: 'Cards' });
    this.tableToggle = page.getByRole('button', { name: 'Table' });
    this.table = page.getByRole('table', { name: 'API tokens' });
    this.cardList = page.getByRole('list', { name: 'API tokens' });
    this.range = page.getByTestId('token-range');
    this.empty = page.getByTestId('tokens-empty');
    this.refusal = page.locator('.token-refusal');
  }

  async open(query = '') {
    await openHydrated(this.page, `/settings/tokens${query}`);
  }

  token(name: string): Locator {
    return this.tokens.filter({ has: this.page.getByRole('button', { name: `Details of ${name}`, exact: true }) });
  }

  names(): Locator {
    return this.tokens.getByRole('button', { name: /^Details of / });
  }

  menuButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Actions for ${name}`, exact: true });
  }

  /** Opens a token's action menu and returns the menu. */
  async openMenu(name: string): Promise<Locator> {
    await this.menuButton(name).click();
    const menu = this.page.getByRole('menu');
    await menu.waitFor();
    return menu;
  }

  async choose(name: string, action: string) {
    const menu = await this.openMenu(name);
    await menu.getByRole('menuitem', { name: action, exact: true }).click();
  }

  dialog(name?: string | RegExp): Locator {
    return name === undefined ? this.page.getByRole('dialog') : this.page.getByRole('dialog', { name });
  }

  /** Fills and submits the create dialog; returns the dialog. */
  /** `customAt` is a local `YYYY-MM-DDTHH:MM`, for the "Custom date and time" choice. */
  async create(name: string, expiration = 'Never', customAt?: string): Promise<Locator> {
    await this.createButton.click();
    const dialog = this.dialog('Create API token');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Expiration').selectOption({ label: expiration });
    if (customAt) await dialog.getByLabel('Expires at').fill(customAt);
    await dialog.getByRole('button', { name: 'Create token' }).click();
    return dialog;
  }

  /**
   * Fills and submits the create dialog with a permission preset; for Custom, `levels` sets
   * the rows named (the others stay at No access). Returns the dialog.
   */
  async createWith(name: string, preset: Preset, levels: Record<string, LevelLabel> = {}): Promise<Locator> {
    await this.createButton.click();
    const dialog = this.dialog('Create API token');
    await dialog.getByLabel('Name').fill(name);
    await this.presetRadio(dialog, preset).check();
    for (const [resource, level] of Object.entries(levels)) await levelRadio(dialog, resource, level).check();
    await dialog.getByRole('button', { name: 'Create token' }).click();
    return dialog;
  }

  /** The create dialog's Full access / Read only / Custom choice. */
  presetRadio(dialog: Locator, preset: Preset): Locator {
    return dialog.getByRole('group', { name: 'Permissions', exact: true }).getByRole('radio', { name: preset, exact: true });
  }

  /** Opens a token's detail dialog from its name; returns the dialog. */
  async openDetail(name: string): Promise<Locator> {
    await this.page.getByRole('button', { name: `Details of ${name}`, exact: true }).click();
    const detail = this.dialog(name);
    await detail.waitFor();
    return detail;
  }
}

/** Arranges tokens a test is not about, as the owner (whose cookies `request` holds). */
export async function seedToken(
  request: APIRequestContext,
  baseURL: string,
  name: string,
  extra: Record<string, string> = {},
): Promise<CreatedToken> {
  return callServerFn<CreatedToken>(request, baseURL, 'create_token', { name, ...extra });
}
