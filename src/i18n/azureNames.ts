/**
 * Azure's names as people read them: region codes (`eastus`) as their display names, geographies in the
 * reader's language, VM size ids (`Classic_Fsv2_2_4GB_128_S_SSD`) as Lab Services shows them. Where the
 * subscription's location list is at hand its display name wins; this table covers the rest (cards built
 * without an ARM read), and an unknown code is shown as given rather than guessed.
 */
import type { Language, Translator } from './translator';

const REGION_NAMES: Readonly<Record<string, string>> = {
  eastus: 'East US', eastus2: 'East US 2', centralus: 'Central US', northcentralus: 'North Central US',
  southcentralus: 'South Central US', westcentralus: 'West Central US', westus: 'West US', westus2: 'West US 2',
  westus3: 'West US 3', northeurope: 'North Europe', westeurope: 'West Europe', uksouth: 'UK South', ukwest: 'UK West',
  francecentral: 'France Central', francesouth: 'France South', germanywestcentral: 'Germany West Central',
  germanynorth: 'Germany North', switzerlandnorth: 'Switzerland North', norwayeast: 'Norway East',
  swedencentral: 'Sweden Central', polandcentral: 'Poland Central', italynorth: 'Italy North', spaincentral: 'Spain Central',
  eastasia: 'East Asia', southeastasia: 'Southeast Asia', australiaeast: 'Australia East',
  australiasoutheast: 'Australia Southeast', australiacentral: 'Australia Central', australiacentral2: 'Australia Central 2',
  canadacentral: 'Canada Central', canadaeast: 'Canada East', japaneast: 'Japan East', japanwest: 'Japan West',
  centralindia: 'Central India', southindia: 'South India', westindia: 'West India', koreacentral: 'Korea Central',
  koreasouth: 'Korea South', brazilsouth: 'Brazil South', southafricanorth: 'South Africa North',
  uaenorth: 'UAE North', qatarcentral: 'Qatar Central', israelcentral: 'Israel Central', mexicocentral: 'Mexico Central',
  newzealandnorth: 'New Zealand North',
};

/** The names the Azure portal shows in French, for the regions the bot can name. */
const REGION_NAMES_FR: Readonly<Record<string, string>> = {
  eastus: 'Est des États-Unis', eastus2: 'Est des États-Unis 2', centralus: 'Centre des États-Unis',
  northcentralus: 'Centre-Nord des États-Unis', southcentralus: 'Centre-Sud des États-Unis',
  westcentralus: 'Centre-Ouest des États-Unis', westus: 'Ouest des États-Unis', westus2: 'Ouest des États-Unis 2',
  westus3: 'Ouest des États-Unis 3', northeurope: 'Europe du Nord', westeurope: "Europe de l'Ouest",
  uksouth: 'Sud du Royaume-Uni', ukwest: 'Ouest du Royaume-Uni', francecentral: 'France Centre', francesouth: 'France Sud',
  germanywestcentral: 'Allemagne Centre-Ouest', germanynorth: 'Allemagne Nord', switzerlandnorth: 'Suisse Nord',
  norwayeast: 'Norvège Est', swedencentral: 'Suède Centre', polandcentral: 'Pologne Centre', italynorth: 'Italie Nord',
  spaincentral: 'Espagne Centre', eastasia: "Asie de l'Est", southeastasia: 'Asie du Sud-Est', australiaeast: 'Australie Est',
  australiasoutheast: 'Australie Sud-Est', australiacentral: 'Australie Centre', australiacentral2: 'Australie Centre 2',
  canadacentral: 'Canada Centre', canadaeast: 'Canada Est', japaneast: 'Japon Est', japanwest: 'Japon Ouest',
  centralindia: 'Inde Centre', southindia: 'Inde Sud', westindia: 'Inde Ouest', koreacentral: 'Corée Centre',
  koreasouth: 'Corée Sud', brazilsouth: 'Brésil Sud', southafricanorth: 'Afrique du Sud Nord',
  uaenorth: 'Émirats arabes unis Nord', qatarcentral: 'Qatar Centre', israelcentral: 'Israël Centre',
  mexicocentral: 'Mexique Centre', newzealandnorth: 'Nouvelle-Zélande Nord',
};

/**
 * `eastus` → "East US" (fr: "Est des États-Unis"). `known`, the subscription's own display name (ARM gives it in
 * English), wins for English readers and for codes the French table lacks.
 */
export function regionName(code: string, language: Language, known?: string): string {
  const key = code.toLowerCase().replace(/\s+/g, '');
  if (language === 'fr' && REGION_NAMES_FR[key]) return REGION_NAMES_FR[key];
  return known && known !== code ? known : (REGION_NAMES[key] ?? code);
}

/** A list of region codes as one line of display names: "West US 2, East US". */
export function regionNames(codes: readonly string[], language: Language): string {
  return codes.map((c) => regionName(c, language)).join(', ');
}

/** Geography and geography-group names as ARM gives them (English), in French. */
const GEOGRAPHY_FR: Readonly<Record<string, string>> = {
  'United States': 'États-Unis', US: 'États-Unis', Europe: 'Europe', 'United Kingdom': 'Royaume-Uni', France: 'France',
  Germany: 'Allemagne', Switzerland: 'Suisse', Norway: 'Norvège', Sweden: 'Suède', Poland: 'Pologne', Italy: 'Italie',
  Spain: 'Espagne', 'Asia Pacific': 'Asie-Pacifique', Asia: 'Asie', Australia: 'Australie', Canada: 'Canada',
  Japan: 'Japon', India: 'Inde', Korea: 'Corée', Brazil: 'Brésil', 'South America': 'Amérique du Sud',
  Africa: 'Afrique', 'South Africa': 'Afrique du Sud', 'Middle East': 'Moyen-Orient', 'United Arab Emirates': 'Émirats arabes unis',
  UAE: 'Émirats arabes unis', Qatar: 'Qatar', Israel: 'Israël', Mexico: 'Mexique', 'New Zealand': 'Nouvelle-Zélande',
};

/** "United States" → "États-Unis" for French readers; unknown names as given. */
export function geographyName(name: string, language: Language): string {
  return language === 'fr' ? (GEOGRAPHY_FR[name] ?? name) : name;
}

/**
 * Lab plan sizes by SKU (Lab Services' names: Small, Medium, Medium (nested virtualization), Small GPU (compute)…),
 * lab account sizes by their classic names. Cores and memory come from the SKU id itself.
 */
const SIZE_CLASS: Readonly<Record<string, string>> = {
  Classic_Fsv2_2_4GB_128_S_SSD: 'small',
  Classic_Fsv2_4_8GB_128_S_SSD: 'medium',
  Classic_Dsv4_4_16GB_128_P_SSD: 'mediumNested',
  Classic_Fsv2_8_16GB_128_S_SSD: 'large',
  Classic_Dsv4_8_32GB_128_P_SSD: 'largeNested',
  Classic_NCsT4v3_4_28GB_128_S_SSD: 'smallGpuCompute',
  Classic_NVv4_8_28GB_128_S_SSD: 'smallGpuVisualization',
  Classic_NVadsA10v5_8_110GB_128_S_SSD: 'mediumGpuVisualization',
  Basic: 'small',
  Standard: 'medium',
  Large: 'large',
  Performance: 'large',
};

type SizeClass = 'small' | 'medium' | 'mediumNested' | 'large' | 'largeNested' | 'smallGpuCompute' | 'smallGpuVisualization' | 'mediumGpuVisualization';

/** "Medium (4 cores, 8 GB)"; an unknown SKU with a readable shape as "4 cores, 8 GB"; anything else as given. */
export function vmSizeName(id: string, t: Translator): string {
  const shape = /^Classic_[A-Za-z0-9]+_(\d+)_(\d+)GB_/.exec(id);
  const sizeClass = SIZE_CLASS[id] as SizeClass | undefined;
  const spec = shape ? t('vmSize.spec', { cores: Number(shape[1]), memory: Number(shape[2]) }) : '';
  if (sizeClass) return spec ? t('vmSize.named', { name: t(`vmSize.${sizeClass}`), spec }) : t(`vmSize.${sizeClass}`);
  return spec || id;
}
