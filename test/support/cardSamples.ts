import type { CardTemplate } from '../../src/cards/renderCard';
import { operationStatusCard, commandButtonsCard, auditCard, galleryChoiceCard, helpCard, proposalCard, replicationProgressCard, statusCard, labFormCard, type LabFormCardData, imagesCard, type ImageListCardData, inventorySummaryCard, replicationFailedCard, RETRY_REGIONS_VERB } from '../../src/cards/templates';

export interface CardSample {
  label: string;
  template: CardTemplate<object>;
  data: object;
}

function sample<T extends object>(label: string, template: CardTemplate<T>, data: T): CardSample {
  return { label, template, data };
}

/** Sample data for every card template, each at its largest realistic size. */
export const cardSamples: CardSample[] = [
  sample('help (admin)', helpCard, {
    title: 'Lab Gallery Bot',
    intro: 'Commands you can run here:',
    groups: ['Everyday', 'Setup'].map((heading) => ({
      heading,
      commands: Array.from({ length: 8 }, (_, i) => ({ usage: `command${i} ‹argument›`, summary: 'Does a thing with a fairly long explanation of what it does' })),
    })),
    roleLine: 'Your role here: admin',
    footer: 'In a channel, @mention me first.',
    buttons: [{ title: 'Status', command: 'status' }, { title: 'Images', command: 'images' }],
  }),
  sample('command buttons (welcome)', commandButtonsCard, {
    title: "Hi, I'm Lab Gallery Bot",
    lines: [{ text: 'I bring your lab\'s Azure Compute Gallery into Teams: its images, the templates teachers start labs from, and news.' }, { text: 'Try one of these:' }],
    buttons: [{ title: 'Status', command: 'status' }, { title: 'Images', command: 'images' }, { title: 'All commands', command: 'help' }],
  }),
  sample('status', statusCard, {
    title: 'Status',
    facts: [
      { title: 'Lab host', value: 'physics-plan' },
      { title: 'Kind', value: 'lab plan' },
    ],
    warning: 'The lab host could not be read.',
    notice: 'Azure Lab Services retires on June 28, 2027: 204 days left. Your galleries and images stay; plan where your labs go next.',
    noticeUrl: 'https://learn.microsoft.com/azure/lab-services/retirement-guide',
    noticeLinkLabel: 'Migration guidance',
  }),
  sample('gallery choice (full page, both directions)', galleryChoiceCard, {
    title: 'Choose a gallery to attach',
    intro: 'Galleries of this subscription:',
    dialogId: 'conv-1',
    galleries: Array.from({ length: 8 }, (_, i) => ({
      id: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-labs/providers/Microsoft.Compute/galleries/gallery_${i}`,
      name: `gallery_${i}`,
      detail: 'rg-labs · westeurope',
      pickLabel: 'Attach',
    })),
    pageLine: 'Page 2 of 3 · 20 galleries',
    hasPrevious: true,
    previousPage: 0,
    previousLabel: 'Previous',
    hasNext: true,
    nextPage: 2,
    nextLabel: 'Next',
    cancelLabel: 'Cancel',
  }),
  sample('operationStatus (lab ready)', operationStatusCard, {
    headline: '✅ Lab Thermodynamics 301 (thermo-301) is ready on physics-plan, built from physics-win11.',
    headlineColor: 'Good',
    detail: 'x'.repeat(400),
    facts: Array.from({ length: 6 }, (_, i) => ({ title: `Fact ${i}`, value: 'v'.repeat(80) })),
    nextStep: 'Next: open the lab in Azure Lab Services, set up its template VM, then publish it.',
    links: [{ title: 'Open in Azure Lab Services', url: 'https://labs.azure.com/' }],
    footer: 'Requested by Alex Wilber · {{TIME(2026-12-05T16:03:00Z)}}',
  }),
  sample('proposal (detach with role toggle)', proposalCard, {
    title: 'Detach physics_gallery from physics-plan?',
    facts: [
      { title: 'Gallery', value: 'physics_gallery' },
      { title: 'Enabled images', value: '2 of 4' },
      { title: 'Labs built from its images', value: 'mechanics-101, optics-201' },
    ],
    notes: [{ text: 'Teachers lose 2 enabled images for new labs.' }, { text: 'Existing labs keep running.' }],
    warning: '',
    toggleLabel: 'Also remove the Owner role the bot gave Azure Lab Services on the gallery',
    footer: 'Only you can answer, within 10 minutes.',
    confirmationId: '7b0c8f3e-1111-2222-3333-444455556666',
    confirmLabel: 'Confirm',
    cancelLabel: 'Cancel',
  }),
  sample('audit (50 entries)', auditCard, {
    title: 'Audit log (last 50)',
    entries: Array.from({ length: 50 }, (_, i) => ({
      headline: `Alexandra Wilberforce-Montgomery tried to enable physics-win11, optics-sim, quantum-gpu-${i}: failed · Nov 27, 09:00`,
      detailsId: `audit-details-${i}`,
      details: 'enable · 2026-11-27 09:00:00 UTC · 00000000-0000-0000-0000-00000000ad01 · 1234 ms · AuthorizationFailed · ref 7b0c8f3e-1111-2222-3333-444455556666',
    })),
    detailsIds: Array.from({ length: 50 }, (_, i) => `audit-details-${i}`),
    detailsLabel: 'Details',
    empty: '',
    footer: 'Times in UTC.',
  }),
  sample('replication progress (every US region, two failed)', replicationProgressCard, {
    title: 'Replication of physics-win11-with-a-long-image-name 12.345.6789',
    headline: '5 of 9 regions of United States done; about 1 h 15 min left.',
    headlineColor: 'Default',
    facts: [
      { title: 'Gallery', value: 'physics_gallery_with_a_long_name' },
      { title: 'Started', value: '1 h 2 min ago' },
      { title: 'Running for', value: '1 h 2 min' },
      { title: 'Started by', value: 'someone outside Teams (seen in the gallery)' },
    ],
    regions: ['East US', 'East US 2', 'Central US', 'North Central US', 'South Central US', 'West Central US', 'West US', 'West US 2', 'West US 3'].map((name, i) => ({
      name,
      state: i < 5 ? 'Completed' : i < 7 ? 'Failed' : 'Replicating',
      icon: i < 5 ? '✅' : i < 7 ? '❌' : '⏳',
      progress: i < 5 ? '100%' : i < 7 ? '—' : '42%',
    })),
    problems: [
      { text: "South Central US: Replication to region 'southcentralus' failed: the operation could not be completed because the storage account quota was exceeded." },
      { text: "West Central US: Replication to region 'westcentralus' failed: the operation could not be completed." },
    ],
    footer: 'Demo time ×60: durations are simulated, 60 times faster than real time. This card is updated in place.',
  }),
];

import { LAB_FORM_RULES, LAB_FORM_VERBS, vmSizesFor } from '../../src/core/labForm';

const freshLabForm: LabFormCardData = {
  heading: 'Create a lab from physics-win11',
  intro: 'On **physics-plan** (lab plan, westus2). The admin password is used once, to create the lab, and is never stored.',
  formError: '',
  requiredMessage: 'Required.',
  imageName: 'physics-win11',
  labName: { label: 'Lab name (letters, digits, - and _)', value: '', error: '' },
  title: { label: 'Title students see', value: '', error: '' },
  vmSize: { label: 'VM size', value: 'Classic_Fsv2_2_4GB_128_S_SSD', error: '', choices: vmSizesFor('labPlan').map((s) => ({ title: s, value: s })) },
  quotaHours: { label: 'Hours of use per student', value: 10, error: '' },
  capacity: { label: 'Number of students', value: 20, error: '' },
  adminUser: { label: 'Admin user name of the VMs', value: '', error: '' },
  password: { label: 'Admin password (12 characters or more)', error: '' },
  createLabel: 'Create lab',
  cancelLabel: 'Cancel',
  verbs: LAB_FORM_VERBS,
};

/** The echo is cut at LAB_FORM_RULES.maxRaw characters: the largest a re-shown form gets. */
const longEcho = 'x'.repeat(LAB_FORM_RULES.maxRaw);

cardSamples.push(
  sample('lab form (fresh)', labFormCard, freshLabForm),
  sample('lab form (every field in error, longest echo)', labFormCard, {
    ...freshLabForm,
    formError: 'Some fields of the form need fixing (7).',
    labName: { ...freshLabForm.labName, value: longEcho, error: 'At most 100 characters (this one has 10240).' },
    title: { ...freshLabForm.title, value: longEcho, error: 'At most 120 characters (this one has 10240).' },
    vmSize: { ...freshLabForm.vmSize, value: longEcho, error: `Pick one of the sizes offered for this lab host: ${vmSizesFor('labPlan').join(', ')}.` },
    quotaHours: { ...freshLabForm.quotaHours, value: 5000, error: 'Must be between 0 and 1000.' },
    capacity: { ...freshLabForm.capacity, value: 0, error: 'Must be between 1 and 400.' },
    adminUser: { ...freshLabForm.adminUser, value: longEcho, error: '"root" is reserved by Azure: pick another user name.' },
    password: { ...freshLabForm.password, error: 'Use at least 3 of: a lowercase letter, an uppercase letter, a digit, a special character.' },
  }),
);

import { IMAGES_PAGE_SIZE, MAX_CARRIED_CHANGES } from '../../src/views';
import { IMAGE_VERBS, imageToggleId, TEMPLATE_PICK_VERB } from '../../src/interaction';
import { createTranslator } from '../../src/i18n/catalog';
import type { Role } from '../../src/ports/accessPolicy';

/** An 80-character image name (the most an Azure Compute Gallery image definition may have). */
export const longImageName = (i: number): string => `image-${String(i).padStart(3, '0')}-`.padEnd(80, 'x');

/**
 * A full page of the image list at its worst: 80-character names, display names cut at 100 characters, eight
 * long regions and more, every reason an image cannot back a template, and an Apply failure on each image.
 */
export function imageListSample(role: Role, locale: string): ImageListCardData {
  const t = createTranslator(locale);
  const regions = ['southcentralus', 'northcentralus', 'westcentralus', 'francecentral', 'germanywestcentral', 'switzerlandnorth', 'australiasoutheast', 'southeastasia'];
  const reasons = [
    t('images.reason.osDiskTooLarge', { size: 1024, limit: 128 }),
    t('images.reason.dataDisks', { count: 16 }),
    t('images.reason.notInHostRegion', { region: 'southcentralus' }),
  ].join('; ');
  const images = Array.from({ length: IMAGES_PAGE_SIZE }, (_, i) => {
    const name = longImageName(i);
    const failure = t('images.notChanged', { reason: t('azure.conflict', { target: name }) });
    return {
      name,
      facts: [`${'D'.repeat(99)}…`, t('images.os.Windows'), t('images.osState.Specialized'), t('images.latestVersion', { version: '2026.1127.123456' }), t('images.isDisabled')].join(' · '),
      regions: t('images.regionsWithoutHost', { regions: `${regions.join(', ')} +12`, region: 'southcentralus' }),
      warning: role === 'teacher' ? '' : `${t('images.ineligible', { reasons })} ${failure}`,
      toggleId: imageToggleId(name),
      value: i % 2 ? ('true' as const) : ('false' as const),
    };
  });
  const carried = {
    filter: 'f'.repeat(100),
    changes: Array.from({ length: MAX_CARRIED_CHANGES }, (_, i) => `${(1296 + i * 997).toString(36)}${i % 2 ? '+' : '-'}`).join('.'),
    list: '0123456789',
    from: 6,
  };
  return {
    title: t('images.title', { gallery: 'g'.repeat(80) }),
    intro: [
      role === 'teacher'
        ? t('images.teacherHostLine', { host: 'h'.repeat(100), region: 'southcentralus', count: 300 })
        : t('images.hostLine', { host: 'h'.repeat(100), region: 'southcentralus', enabled: 150, total: 300 }),
      t('images.filterLine', { filter: `${'f'.repeat(59)}…`, count: 300 }),
    ].join(' · '),
    notice: `${t('images.applied', { enabled: 10, disabled: 10, failed: 20 })} ${t('images.changesLost', { count: 40 })}`,
    noticeColor: 'Warning',
    pending: role === 'admin' ? t('images.pendingLine', { count: 55 }) : '',
    discardLabel: t('images.discard'),
    discardData: { page: 6, filter: 'f'.repeat(100), discard: 1 },
    question: '',
    confirmLabel: '',
    confirmVerb: '',
    confirmData: {},
    cancelLabel: t('common.cancel'),
    images,
    empty: '',
    pageLine: t('images.pageLine', { page: 7, pages: 15, count: 300 }),
    admin: role === 'admin',
    adminActions: role === 'admin',
    teacher: role === 'teacher',
    myOptions: role === 'member',
    toggleLabel: t('images.toggle'),
    pickLabel: t('images.useAsTemplate'),
    applyLabel: t('images.apply'),
    enableAllLabel: t('images.enableMatching'),
    disableAllLabel: t('images.disableMatching'),
    refreshLabel: t('images.refresh'),
    myOptionsLabel: t('images.myOptions'),
    previousLabel: t('common.previous'),
    nextLabel: t('common.next'),
    verbs: { ...IMAGE_VERBS, pick: TEMPLATE_PICK_VERB },
    // The most a card carries: 40 changes waiting on other pages of a gallery with thousands of images.
    data: { ...carried, page: 6 },
    hasPrevious: true,
    previousData: { ...carried, page: 5 },
    hasNext: true,
    nextData: { ...carried, page: 7 },
    refreshData: { ...carried, page: 6 },
    refreshUserIds: ['29:'.padEnd(120, 'u')],
  };
}

cardSamples.push(
  ...(['admin', 'teacher', 'member'] as const).flatMap((role) =>
    ['en-US', 'fr-FR'].map((locale) => sample(`images (${role}, ${locale}, full page of long names)`, imagesCard, imageListSample(role, locale))),
  ),
  sample('images (empty gallery)', imagesCard, {
    ...imageListSample('member', 'en-US'),
    images: [],
    notice: '',
    noticeColor: 'Default',
    empty: createTranslator('en-US')('images.empty'),
    hasPrevious: false,
    hasNext: false,
  }),
);

cardSamples.push(
  sample('inventory summary', inventorySummaryCard, {
    title: 'Inventory of the gallery physics_gallery',
    facts: [
      { title: 'Images', value: '120' },
      { title: 'Versions', value: '5000' },
      { title: 'Target regions', value: 'eastus, westeurope, westus2' },
    ],
    warning: '3 versions have a failed replication: see the replication_state column.',
    footer: 'Read 2026-12-05 21:00 UTC.',
  }),
  sample('replication failed (with retry)', replicationFailedCard, {
    text: '❌ Replication of **physics-win11** 3.1.0 failed in East US (quota exceeded). Completed: West US 2. It ran for 31 min.',
    advice: 'What an admin can do: …',
    retryLabel: 'Retry failed regions (admins)',
    retryVerb: RETRY_REGIONS_VERB,
    image: 'physics-win11',
    version: '3.1.0',
  }),
  sample('replication failed (no retry)', replicationFailedCard, {
    text: '❌ Replication failed everywhere.',
    advice: 'What an admin can do: …',
    retryLabel: '',
    retryVerb: RETRY_REGIONS_VERB,
    image: 'physics-win11',
    version: '3.1.0',
  }),
);
