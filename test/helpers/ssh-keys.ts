import ssh2 from 'ssh2';

/**
 * An ed25519 key pair in OpenSSH format. ssh2's generator occasionally (a leading zero byte, about
 * one key in 256) writes a key it cannot read back: generate again then, or tests would flake.
 */
export function generateKeyPair(options: { passphrase?: string } = {}): { private: string; public: string } {
  for (;;) {
    const pair = options.passphrase
      ? ssh2.utils.generateKeyPairSync('ed25519', { passphrase: options.passphrase, cipher: 'aes256-cbc', rounds: 16 })
      : ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(pair.private, options.passphrase) instanceof Error)) return pair;
  }
}
