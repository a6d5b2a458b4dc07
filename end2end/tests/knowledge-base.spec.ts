import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import { test, expect } from '../fixtures';
import { addPerson } from '../support/people';
import { openHydrated } from '../pages/app-page';
import { KnowledgeBasePage } from '../pages/knowledge-base-page';
import { Shell } from '../pages/shell';

// The Knowledge base page (SPEC §5): upload through the picker with progress per file, the
// list updating by itself while documents are read, search with highlighted snippets,
// download, delete with confirmation; the size limit refused before sending; read-only
// members see no write controls.

const markdown = {
  name: 'field-notes.md',
  mimeType: 'text/markdown',
  buffer: Buffer.from('# Field notes\n\n## Rottnest\n\nThe quokka is a small marsupial that lives on Rottnest Island.\n'),
};
const text = {
  name: 'packing-list.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from('Packing list\n\nBring a lantern, a thermos of cocoa and spare batteries.\n'),
};
// PNG's signature and a few bytes: stored, but nothing the knowledge base reads.
const picture = {
  name: 'pixel.png',
  mimeType: 'image/png',
  buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]),
};

test('upload two files → ready without a reload → search → download → delete', async ({ page, owner }) => {
  const kb = new KnowledgeBasePage(page);
  await kb.open();
  await expect(page.getByRole('heading', { name: 'Knowledge base', level: 1 })).toBeVisible();
  await expect(kb.emptyState).toBeVisible();
  await expect(kb.uploadZone).toContainText('Up to 25 MiB per file.');

  await kb.filePicker.setInputFiles([markdown, text]);
  await expect(kb.upload(markdown.name)).toContainText('Uploaded');
  await expect(kb.upload(text.name)).toContainText('Uploaded');
  // The list turns each document ready by itself: no reload, no click.
  for (const file of [markdown, text]) {
    const row = kb.document(file.name);
    await expect(row.getByTestId('document-status')).toHaveText('Ready');
    await expect(row).toContainText(`${file.buffer.length} bytes`);
    await expect(row).toContainText(`by ${owner.name}`);
    await expect(row).toContainText(/\d+ chunks?/);
    await expect(row.locator('time')).toHaveAttribute('title', /\d/);
  }
  await expect(kb.document(markdown.name)).toContainText('Field notes');
  await expect(kb.documents).toHaveCount(2);

  // The same bytes again, and a kind the knowledge base does not read.
  await kb.filePicker.setInputFiles([markdown, picture]);
  await expect(kb.upload(markdown.name).last()).toContainText('Already uploaded');
  await expect(kb.upload(picture.name)).toContainText('Stored, but not a document kind the knowledge base reads.');
  await expect(kb.documents).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear finished uploads' }).click();
  await expect(kb.uploads).toHaveCount(0);

  await kb.search('quokka');
  await expect(kb.searchTotal).toHaveText('1 passage matches.');
  const hit = kb.hits.first();
  await expect(hit).toContainText('Field notes');
  await expect(hit).toContainText('Rottnest');
  await expect(hit.locator('mark')).toHaveText(/quokka/i);
  await expect(hit.locator('.kb-snippet')).toContainText('is a small marsupial');

  const downloading = page.waitForEvent('download');
  await kb.document(markdown.name).getByRole('link', { name: `Download ${markdown.name}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(markdown.name);
  expect(fs.readFileSync(await download.path()).equals(markdown.buffer)).toBe(true);

  await kb.document(markdown.name).getByRole('button', { name: 'Delete Field notes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete Field notes?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete file' }).click();
  await expect(dialog).toBeHidden();
  await expect(kb.document(markdown.name)).toHaveCount(0);
  await expect(kb.documents).toHaveCount(1);
  await expect(kb.searchTotal).toHaveText('No passage matches “quokka”.');
  await expect(kb.hits).toHaveCount(0);

  // The picture is no document, but it is stored: it is listed on its own, and goes the same way.
  const other = kb.otherFile(picture.name);
  await expect(kb.otherFiles).toHaveCount(1);
  await expect(other).toContainText(`${picture.buffer.length} bytes`);
  await expect(other).toContainText('image/png');
  await other.getByRole('button', { name: `Delete ${picture.name}` }).click();
  const pictureDialog = page.getByRole('dialog', { name: `Delete ${picture.name}?` });
  await pictureDialog.getByRole('button', { name: 'Delete file' }).click();
  await expect(pictureDialog).toBeHidden();
  await expect(kb.otherFiles).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Other files' })).toHaveCount(0);
  await expect(kb.documents).toHaveCount(1);
});

test.describe('with a 64 KiB upload limit', () => {
  test.use({ serverEnv: { TESSERA_MAX_UPLOAD_BYTES: String(64 * 1024) } });

  test('a file over the limit is refused before it is sent, and nothing is listed', async ({ page, owner: _ }) => {
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/rpc/storage/upload')) sent.push(request.url());
    });
    const kb = new KnowledgeBasePage(page);
    await kb.open();
    await expect(kb.uploadZone).toContainText('Up to 64 KiB per file.');
    await kb.filePicker.setInputFiles([
      { name: 'too-big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(100 * 1024, 'a') },
      text,
    ]);
    const refused = kb.upload('too-big.txt');
    await expect(refused.getByRole('alert')).toHaveText(
      'Too large: 100 KiB is over the limit of 64 KiB per file. It was not sent.',
    );
    await expect(kb.document(text.name).getByTestId('document-status')).toHaveText('Ready');
    await expect(kb.documents).toHaveCount(1);
    await expect(kb.document('too-big.txt')).toHaveCount(0);
    expect(sent.filter((url) => url.includes('too-big'))).toEqual([]);
  });
});

test('a read-only member reads, searches and downloads, but sees no upload zone or delete button', async ({ page, browser, server, owner: _ }) => {
  const owner = new KnowledgeBasePage(page);
  await owner.open();
  await owner.filePicker.setInputFiles([text]);
  await expect(owner.document(text.name).getByTestId('document-status')).toHaveText('Ready');

  const member = await addPerson(browser, page.request, server.url, 'member');
  const kb = new KnowledgeBasePage(member.page);
  await openHydrated(member.page, '/agents');
  await new Shell(member.page).knowledgeBaseLink.click();
  await expect(member.page).toHaveURL(/\/knowledge-base$/);
  await expect(member.page.getByRole('heading', { name: 'Knowledge base', level: 1 })).toBeVisible();
  await expect(kb.document(text.name).getByTestId('document-status')).toHaveText('Ready');
  await expect(kb.document(text.name).getByRole('link', { name: `Download ${text.name}` })).toBeVisible();
  await expect(kb.uploadZone).toHaveCount(0);
  await expect(kb.filePicker).toHaveCount(0);
  await expect(member.page.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await kb.search('lantern');
  await expect(kb.hits).toHaveCount(1);
  await expect(kb.hits.first().locator('mark')).toHaveText(/lantern/i);
  expect(member.problems).toEqual([]);
  await member.context.close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`at phone width in the ${colorScheme} theme: no sideways scrolling and no axe violations`, async ({ page, owner: _ }) => {
    test.slow();
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 375, height: 800 });
    const kb = new KnowledgeBasePage(page);
    await kb.open();
    await kb.filePicker.setInputFiles([markdown, { ...text, name: 'a-rather-long-file-name-that-must-wrap-on-a-phone.txt' }]);
    await expect(kb.documents.getByTestId('document-status').filter({ hasText: 'Ready' })).toHaveCount(2);
    await kb.search('quokka');
    await expect(kb.hits).toHaveCount(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}
