import { chunksOf, eachInFlight } from './bulk-shipment-chunks';
import { PlannedParcel } from './bulk-shipment.types';

const parcel = (orderId: string, tracking: string): PlannedParcel => ({ orderId, carrierCode: 'SF', trackingNumber: tracking, rows: [], lines: [] });
const shape = (chunks: PlannedParcel[][]) => chunks.map((chunk) => chunk.map((item) => `${item.orderId}:${item.trackingNumber}`));

describe('chunksOf', () => {
  it('packs parcels into chunks of about the size, never splitting an order’s parcels, in upload order', () => {
    const parcels = [parcel('1', 'a'), parcel('2', 'a'), parcel('1', 'b'), parcel('3', 'a'), parcel('3', 'b'), parcel('3', 'c'), parcel('4', 'a')];
    expect(shape(chunksOf(parcels, 3))).toEqual([['1:a', '1:b', '2:a'], ['3:a', '3:b', '3:c'], ['4:a']]);
    // An order with more parcels than a chunk holds gets a chunk of its own.
    expect(shape(chunksOf(parcels, 2))).toEqual([['1:a', '1:b'], ['2:a'], ['3:a', '3:b', '3:c'], ['4:a']]);
    expect(chunksOf([], 500)).toEqual([]);
  });
});

describe('eachInFlight', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('works every item, never more than `width` at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachInFlight([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running++;
      most = Math.max(most, running);
      for (let wait = 0; wait < item % 3; wait++) await tick();
      done.push(item);
      running--;
    });
    expect([most, [...done].sort()]).toEqual([3, [1, 2, 3, 4, 5, 6, 7]]);
  });

  it('starts nothing after a failure, lets the items under way finish, then throws the first failure', async () => {
    const finished: number[] = [];
    const work = eachInFlight([1, 2, 3, 4, 5], 2, async (item) => {
      if (item === 1) throw new Error('chunk 1 failed');
      await tick();
      await tick();
      finished.push(item);
    });
    await expect(work).rejects.toThrow('chunk 1 failed');
    // Item 2 was under way when 1 failed: it finished; 3, 4 and 5 were never started.
    expect(finished).toEqual([2]);
  });
});
