// The app's bundles (scripts/lib/freshBundle.mjs makes them): `npm start`'s bot and `npm run emulator`'s emulator.
// Paths are relative to the repository root; an input is a file or a folder (the installed packages always count).
export const APP_BUNDLES = {
  bot: { name: 'bot', entry: 'src/index.ts', outDir: 'dist/bot', outName: 'index.js', inputs: ['src', 'cards', 'tsconfig.json'] },
  // Every source the emulator may import: its own folder, and the ports and kernel beside it under src/.
  emulator: { name: 'emulator', entry: 'src/emulator/main.ts', outDir: 'dist/emulator', outName: 'main.js', inputs: ['src', 'tsconfig.json'] },
};
