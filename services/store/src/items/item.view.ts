import { type StoreItemView } from './dto/item.dto';
import { type ItemEntity } from './entities/item.entity';

export function toItemView(item: ItemEntity): StoreItemView {
  return {
    id: item.id,
    name: item.name,
    description: item.description,
    logo_url: item.logoUrl,
    balance: item.balance,
    price_penny: item.pricePenny,
    category: item.category,
  };
}
