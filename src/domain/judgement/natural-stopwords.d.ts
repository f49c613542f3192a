// natural ships no typings for this file; importing it directly avoids natural's util index,
// which also loads the storage back-ends (redis, pg, mongoose).
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
