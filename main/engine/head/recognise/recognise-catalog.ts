/**
 * Recognition on the head worker's own connection to the catalog file ([Note: recognition reads off the
 * serving thread]): reads the library in one read transaction (WAL: the serving thread keeps reading and
 * writing meanwhile), scoring the faces as it reads them (recognition-input.ts), and decides. It never
 * writes: the service writes the decisions, re-checking what an edit may have changed since this read.
 */
import { AssignmentsRepo } from '../../catalog/assignments-repo';
import { openDatabase } from '../../catalog/database';
import { FacesRepo } from '../../catalog/faces-repo';
import { PeopleRepo } from '../../catalog/people-repo';
import type { Product } from '../model';
import {
  decideInput,
  recognitionInputFromCatalog,
  type ModelChoice,
  type Recognised,
} from './recognition-input';

export function recogniseCatalog(dbPath: string, choice: ModelChoice, product?: Product): Recognised {
  const db = openDatabase(dbPath);
  let input;
  try {
    // Deferred: a read transaction is one consistent snapshot and takes no write lock. The faces are
    // scored as they are read ([Note: recognition scores while it reads]).
    input = db
      .transaction(() =>
        recognitionInputFromCatalog(
          choice,
          { faces: new FacesRepo(db), assignments: new AssignmentsRepo(db), people: new PeopleRepo(db) },
          product,
        ),
      )
      .deferred();
  } finally {
    db.close();
  }
  return decideInput(input, product);
}
