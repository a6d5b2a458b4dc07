import type { Locator, Page } from '@playwright/test';

/** First-run setup: shown at every address while no user exists. */
export class SetupPage {
  readonly heading: Locator;
  readonly workspaceName: Locator;
  readonly name: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Welcome to Tessera' });
    this.workspaceName = page.getByLabel('Workspace name');
    this.name = page.getByLabel('Your name');
    this.email = page.getByLabel('Email');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: 'Create workspace' });
  }

  async fill(values: { workspaceName: string; name: string; email: string; password: string }) {
    await this.workspaceName.fill(values.workspaceName);
    await this.name.fill(values.name);
    await this.email.fill(values.email);
    await this.password.fill(values.password);
  }
}

/** Sign-in: shown at any address to a visitor without a session. */
export class SignInPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign in to Tessera' });
    this.email = page.getByLabel('Email');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: 'Sign in' });
    this.alert = page.getByRole('alert');
  }

  async signIn(email: string, password: string) {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}
