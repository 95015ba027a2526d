/** The spellings of one generated concept's name. */
export interface Names {
  /** `library-book`: file names. */
  readonly kebab: string;
  /** `LibraryBook`: types and classes. */
  readonly pascal: string;
  /** `libraryBook`: values and fields. */
  readonly camel: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Spells `name` three ways; anything but lower-case words joined by '-' is refused, named. */
export function namesOf(name: string): Names {
  if (!KEBAB.test(name)) throw new Error(`'${name}' is not a name the generator takes: use lower-case words joined by '-', e.g. 'book' or 'library-book'.`);
  const pascal = name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  return { kebab: name, pascal, camel: pascal.charAt(0).toLowerCase() + pascal.slice(1) };
}
