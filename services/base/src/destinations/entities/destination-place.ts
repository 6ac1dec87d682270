import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';

/** What hotels and attractions have in common: a named place at a destination. */
export abstract class DestinationPlaceEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  /** A destination (station) id, e.g. MOSCOW or SPB. */
  @Column({ name: 'destination_id', type: 'varchar', length: 60 })
  destinationId!: string;

  @Column({ name: 'name', type: 'varchar', length: 256 })
  name!: string;

  @Column({ name: 'description', type: 'varchar', length: 1024 })
  description!: string;

  @Column({ name: 'logo_url', type: 'varchar', length: 256 })
  logoUrl!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
