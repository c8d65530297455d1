// --source specs: each kind parses to what its source needs; bad specs are
// refused with a message naming the bad part; createSource builds the source.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { parseSourceSpec, SourceSpecError, checkCameraId } from '../edge/sources/frame-source.js';
import { createSource } from '../edge/sources/create-source.js';
import { ListenServer } from '../edge/http/listen-server.js';

const spec = suite('source spec');
const defaults = { camera: 'cam-1' };

spec('each kind parses', () => {
  assert.equal(parseSourceSpec('dir:/var/frames', defaults), { kind: 'dir', path: '/var/frames', after: { mode: 'keep' }, camera: 'cam-1' });
  assert.equal(parseSourceSpec('dir:rel/frames?after=delete', defaults), { kind: 'dir', path: 'rel/frames', after: { mode: 'delete' }, camera: 'cam-1' });
  assert.equal(parseSourceSpec('dir:/in?after=move:/var/done&camera=dock', defaults), { kind: 'dir', path: '/in', after: { mode: 'move', to: '/var/done' }, camera: 'dock' });
  assert.equal(parseSourceSpec('http:', defaults), { kind: 'http', camera: 'cam-1' });
  const proxy = parseSourceSpec('proxy:http://127.0.0.1:3000/v1/predict', defaults);
  assert.equal(proxy.kind === 'proxy' && [proxy.upstream.href, proxy.tapPath, proxy.camera], ['http://127.0.0.1:3000/', '/v1/predict', 'cam-1']);
  assert.equal(parseSourceSpec('stdin:frames', defaults), { kind: 'stdin', framing: 'frames', camera: 'cam-1' });
  assert.equal(parseSourceSpec('stdin:jsonl', defaults), { kind: 'stdin', framing: 'jsonl', camera: 'cam-1' });
});

spec('bad specs name the bad part', () => {
  const cases: Array<[string, RegExp]> = [
    ['ftp:/x', /source spec "ftp:\/x": unknown source kind "ftp"; expected one of dir:, http:, proxy:, stdin:/],
    ['dir', /unknown source kind "dir"/],
    ['dir:', /the folder path is missing/],
    ['dir:/x?after=archive', /after="archive" is not known; expected keep, delete or move:/],
    ['dir:/x?after=move:', /after="move:" is not known/],
    ['dir:/x?recursive=1', /unknown option "recursive"; dir: takes after= and camera=/],
    ['dir:/x?camera=bad id', /camera=: camera id "bad id" is not valid/],
    ['dir:/x?after=%zz', /option value "%zz" is not valid percent-encoding/],
    ['http:8080', /http: takes nothing after the colon, got "8080"/],
    ['proxy:', /upstream "" is not a URL/],
    ['proxy:ftp://h/predict', /upstream protocol ftp: is not supported/],
    ['proxy:http://u:p@h/predict', /must not carry credentials/],
    ['proxy:http://h/predict?x=1', /must not have a query/],
    ['stdin:', /stdin framing "" is not known; expected stdin:frames or stdin:jsonl/],
    ['stdin:json', /stdin framing "json" is not known/],
  ];
  for (const [text, message] of cases) {
    const error = (() => {
      try {
        parseSourceSpec(text, defaults);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error(`${text} was accepted`);
    })();
    assert.instance(error, SourceSpecError, text);
    assert.match(error.message, message);
  }
  assert.throws(() => parseSourceSpec('http:', { camera: '' }), /the default camera: camera id "" is not valid/);
});

spec('camera ids: the documented alphabet and length', () => {
  assert.is(checkCameraId('A-z_0.9', 'x'), 'A-z_0.9');
  assert.is(checkCameraId('c'.repeat(64), 'x'), 'c'.repeat(64));
  for (const bad of ['', 'c'.repeat(65), 'a/b', 'a b', 'é', 'a+b']) assert.throws(() => checkCameraId(bad, 'where'), /^where: camera id/);
});

spec('createSource builds each kind; listen-based kinds need the server', () => {
  const server = new ListenServer({ host: '127.0.0.1', port: 0 });
  assert.is(createSource(parseSourceSpec('dir:/tmp', defaults)).kind, 'dir');
  assert.is(createSource(parseSourceSpec('http:', defaults), { server }).kind, 'http');
  assert.is(createSource(parseSourceSpec('proxy:http://127.0.0.1:1/p', defaults), { server }).kind, 'proxy');
  assert.is(createSource(parseSourceSpec('stdin:jsonl', defaults), { stdin: new PassThrough() }).kind, 'stdin');
  assert.throws(() => createSource(parseSourceSpec('http:', defaults)), /the http: source needs --listen host:port/);
  assert.throws(() => createSource(parseSourceSpec('proxy:http://127.0.0.1:1/p', defaults)), /proxy: source for http:\/\/127\.0\.0\.1:1 needs --listen/);
});

spec.run();
