import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

/** The Knowledge base page: upload zone, search, and the document list. */
export class KnowledgeBasePage {
  readonly uploadZone: Locator;
  readonly filePicker: Locator;
  readonly uploads: Locator;
  readonly documents: Locator;
  readonly otherFiles: Locator;
  readonly searchBox: Locator;
  readonly searchButton: Locator;
  readonly searchTotal: Locator;
  readonly hits: Locator;
  readonly emptyState: Locator;

  constructor(readonly page: Page) {
    this.uploadZone = page.getByTestId('upload-zone');
    this.filePicker = page.getByLabel('Choose files');
    this.uploads = page.getByRole('list', { name: 'Uploads' }).getByTestId('upload');
    this.documents = page.getByRole('list', { name: 'Documents' }).getByTestId('document');
    this.otherFiles = page.getByRole('list', { name: 'Other files' }).getByTestId('other-file');
    this.searchBox = page.getByRole('searchbox', { name: 'Search the knowledge base' });
    this.searchButton = page.getByRole('button', { name: 'Search', exact: true });
    this.searchTotal = page.getByTestId('search-total');
    this.hits = page.getByRole('list', { name: 'Search results' }).getByTestId('search-hit');
    this.emptyState = page.getByText('No documents yet.');
  }

  async open() {
    await openHydrated(this.page, '/knowledge-base');
  }

  /** The upload row of file `name`. */
  upload(name: string): Locator {
    return this.uploads.filter({ hasText: name });
  }

  /** The document row read from file `fileName`. */
  document(fileName: string): Locator {
    return this.documents.filter({ hasText: fileName });
  }

  /** The row of stored file `name` that is not a document (an image, an archive …). */
  otherFile(name: string): Locator {
    return this.otherFiles.filter({ hasText: name });
  }

  async search(words: string) {
    await this.searchBox.fill(words);
    await this.searchButton.click();
  }
}
