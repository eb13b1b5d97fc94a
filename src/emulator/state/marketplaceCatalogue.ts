import { Prng } from '../prng';
import type { OsType } from './records';

/**
 * A Marketplace image as a lab plan's `images` list shows it (labplan-images-list.json): named
 * `publisher.offer.sku`, always `version: "latest"`, generalized.
 */
export interface MarketplaceImage {
  name: string;
  publisher: string;
  offer: string;
  sku: string;
  plan: string;
  displayName: string;
  description: string;
  author: string;
  iconUrl: string;
  osType: OsType;
  termsStatus: 'Enabled' | 'Disabled';
}

/** Real entries (the recording's Ubuntu image and two common Windows ones), so that the demo lists something familiar. */
const WELL_KNOWN: readonly MarketplaceImage[] = [
  {
    name: 'canonical.0001-com-ubuntu-server-focal.20_04-lts',
    publisher: 'canonical',
    offer: '0001-com-ubuntu-server-focal',
    sku: '20_04-lts',
    plan: '20_04-lts-ARM',
    displayName: 'Ubuntu Server 20.04 LTS',
    description: "Ubuntu Server is the world's most popular Linux for cloud environments.",
    author: 'Canonical',
    iconUrl: 'https://store-images.s-microsoft.com/image/apps.58881.b1cb587c-4b08-4839-9156-b06fa2ff0960.4eaba0fe-a0eb-407f-9adc-32506d1863f8.aeb55628-a861-4295-8055-f6d2ac42a49c',
    osType: 'Linux',
    termsStatus: 'Enabled',
  },
  {
    name: 'microsoftwindowsdesktop.windows-11.win11-23h2-pro',
    publisher: 'microsoftwindowsdesktop',
    offer: 'windows-11',
    sku: 'win11-23h2-pro',
    plan: 'win11-23h2-pro',
    displayName: 'Windows 11 Pro, version 23H2',
    description: 'Windows 11 Pro for education and development labs.',
    author: 'Microsoft',
    iconUrl: 'https://store-images.s-microsoft.com/image/apps.windows-11.win11-23h2-pro',
    osType: 'Windows',
    termsStatus: 'Enabled',
  },
  {
    name: 'microsoftwindowsserver.windowsserver.2022-datacenter-azure-edition',
    publisher: 'microsoftwindowsserver',
    offer: 'windowsserver',
    sku: '2022-datacenter-azure-edition',
    plan: '2022-datacenter-azure-edition',
    displayName: 'Windows Server 2022 Datacenter: Azure Edition',
    description: 'Windows Server 2022 Datacenter: Azure Edition.',
    author: 'Microsoft',
    iconUrl: 'https://store-images.s-microsoft.com/image/apps.windowsserver.2022-datacenter-azure-edition',
    osType: 'Windows',
    termsStatus: 'Enabled',
  },
];

const VENDORS = ['alder', 'amesto', 'anapaya', 'bitnami', 'cisco', 'datastax', 'fortinet', 'hashicorp', 'kinetica', 'matlab', 'nvidia', 'openlogic', 'paloalto', 'redhat', 'suse', 'tenable', 'veeam', 'zscaler'];
const PRODUCTS = ['edge', 'runner', 'firewall', 'rhel9', 'ubuntu', 'analytics', 'gateway', 'vault', 'studio', 'desktop', 'server', 'appliance'];
const EDITIONS = ['byol', 'payg', 'gen1', 'gen2', 'hardened', 'cis-l1', 'stig', 'lts'];

/**
 * `count` Marketplace images, sorted by name as the service lists them (lower-case code points: digits first),
 * the same for a given count on every run.
 */
export function marketplaceCatalogue(count: number): MarketplaceImage[] {
  const random = new Prng(0x5eed);
  const pick = <T>(items: readonly T[]): T => items[random.between(0, items.length - 1)] as T;
  const byName = new Map<string, MarketplaceImage>();
  for (const image of WELL_KNOWN.slice(0, count)) byName.set(image.name.toLowerCase(), image);
  while (byName.size < count) {
    const vendor = pick(VENDORS);
    // Many real publisher ids carry a numeric suffix (`aldercapitalllc1682703876147`).
    const publisher = random.next() < 0.5 ? `${vendor}${1_500_000_000_000 + random.between(0, 199_999_999_999)}` : `${vendor}inc`;
    const offer = `${pick(PRODUCTS)}-${random.between(1, 40)}`;
    const skus = random.between(1, 6);
    const osType: OsType = random.next() < 0.75 ? 'Linux' : 'Windows';
    for (let i = 0; i < skus && byName.size < count; i++) {
      const sku = `${offer}-${pick(EDITIONS)}-${i + 1}`;
      const name = `${publisher}.${offer}.${sku}`;
      if (byName.has(name)) continue;
      const title = `${vendor[0]?.toUpperCase() ?? ''}${vendor.slice(1)} ${offer.replace(/-/g, ' ')} (${sku})`;
      byName.set(name, {
        name,
        publisher,
        offer,
        sku,
        plan: sku,
        displayName: title,
        description: `${title}: a ${osType} image published on the Azure Marketplace for lab and training use.`,
        author: `${vendor[0]?.toUpperCase() ?? ''}${vendor.slice(1)}`,
        iconUrl: `https://store-images.s-microsoft.com/image/apps.${random.between(10000, 99999)}.${publisher}.${sku}`,
        osType,
        termsStatus: random.next() < 0.1 ? 'Enabled' : 'Disabled',
      });
    }
  }
  return [...byName.values()].sort((a, b) => compareImageNames(a.name, b.name));
}

/** The list's order: by lower-cased name, code point by code point. */
export function compareImageNames(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}
