/** Row types of the PostgreSQL blob store (migration 0060) and the encrypted signing keys (0061). */

export interface BlobObjectsTable {
  sha256: string;
  /** Bytes; bigint on PostgreSQL (read back as a string by `pg`). */
  size: number | string;
  created_at: string;
}

export interface BlobChunksTable {
  sha256: string;
  seq: number;
  data: Buffer;
}

export interface SigningKeySecretsTable {
  /** The key id, as in signing_keys. */
  id: string;
  /** `aes-256-gcm:v1:<kek id>:<base64 iv>:<base64 tag>:<base64 ciphertext>` of the PKCS#8 PEM. */
  encrypted_private_key: string;
  created_at: string;
}

export interface SharedBlobsTables {
  blob_objects: BlobObjectsTable;
  blob_chunks: BlobChunksTable;
  signing_key_secrets: SigningKeySecretsTable;
}
