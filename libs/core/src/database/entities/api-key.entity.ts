import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text') name: string;
  /** The roles this key carries, fixed when it is issued; at use it carries those its owner still has. */
  @Column('text', { array: true }) roles: string[];
  /** Shown again in lists so a key can be recognised; the rest of the key is only ever hashed. */
  @Column('text') prefix: string;
  @Column('text', { name: 'key_hash', select: false }) keyHash: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
}
