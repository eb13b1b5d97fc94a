/** The two kinds of Lab Services host a gallery attaches to. A leaf module: errors and permissions need it too. */
export type LabHostKind = 'labPlan' | 'labAccount';
