import { randomUUID } from 'node:crypto';
import { type StoreSummary } from '@platform/contracts';

/** A store directory as base's callers see it, plus a way to make a store it knows. */
export interface StoreDirectorySubject {
  /** Makes a store the directory answers for (the real one: through the store service's API). */
  addStore(fields: Omit<StoreSummary, 'id'>): Promise<StoreSummary>;
  storesByIds(ids: readonly string[]): Promise<StoreSummary[]>;
}

/**
 * What base's callers of `storesByIds` may rely on, whoever answers: run against FakeStores (unit
 * tier, the fake base's HTTP specs use) and against StoreDirectoryClient over Redis to the running
 * store service (e2e tier), so what base's specs see from the fake is what the store service does.
 */
export function describeStoreDirectoryContract(
  name: string,
  subjectOf: () => Promise<StoreDirectorySubject>,
): void {
  describe(`store directory contract: ${name}`, () => {
    let directory: StoreDirectorySubject;
    let kiosk: StoreSummary;
    let pharmacy: StoreSummary;

    beforeAll(async () => {
      directory = await subjectOf();
      const suffix = randomUUID().slice(0, 8);
      kiosk = await directory.addStore({
        name: `contract kiosk ${suffix}`,
        description: 'Snacks and drinks',
        logoUrl: '/static/logos/stores/1.png',
        storeType: 'SHOP',
      });
      pharmacy = await directory.addStore({
        name: `contract pharmacy ${suffix}`,
        description: 'Plasters',
        logoUrl: '/static/logos/stores/2.png',
        storeType: 'SHOP',
      });
    });

    it('answers every field of the stores asked for, in the order asked', async () => {
      await expect(directory.storesByIds([pharmacy.id, kiosk.id])).resolves.toEqual([
        pharmacy,
        kiosk,
      ]);
      await expect(directory.storesByIds([kiosk.id, pharmacy.id])).resolves.toEqual([
        kiosk,
        pharmacy,
      ]);
    });

    it('leaves out the ids it does not know', async () => {
      await expect(directory.storesByIds([randomUUID(), kiosk.id, randomUUID()])).resolves.toEqual([
        kiosk,
      ]);
      await expect(directory.storesByIds([randomUUID()])).resolves.toEqual([]);
    });

    it('answers a store once when it is asked for twice', async () => {
      await expect(directory.storesByIds([kiosk.id, pharmacy.id, kiosk.id])).resolves.toEqual([
        kiosk,
        pharmacy,
      ]);
    });

    it('reads ids in any letter case and answers them in lower case', async () => {
      await expect(directory.storesByIds([kiosk.id.toUpperCase()])).resolves.toEqual([kiosk]);
    });

    it('answers nothing for no ids', async () => {
      await expect(directory.storesByIds([])).resolves.toEqual([]);
    });
  });
}
