import { chunksOf } from './bulk-shipment-chunks';
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
