// The WIT text format (WebAssembly component model, WIT.md), as an ANTLR4
// combined grammar. `antlr4 -Dlanguage=Cpp -visitor` turns it into WitParser
// (+ WitLexer, WitVisitor) in the build tree; nothing generated is committed.
//
// How the parser uses it (src/parser.cpp):
//  * Tokens come from the hand-written lexer in src/parse_lexer.cpp, which
//    produces exactly the token types declared below (the lexer rules at the
//    end define them and generate WitLexer, which the library does not link;
//    both lexers agree on the whole wit-parser test corpus). It keeps byte
//    offsets, folds CRLF, nests block comments without recursion, and turns a
//    lexical error into a LEX_ERROR token, so that, as with the reference's
//    lazy tokenizer, it is reported only if the parser gets that far.
//  * The reference checks some things while it parses (identifiers,
//    versions, attribute names); WitCheckedParser does them at the same
//    points, from its enterRule/consume hooks (src/parse_errors.cpp).
//  * Files are parsed one chunk at a time so memory stays bounded by the
//    largest item, not the file. The driver sequences the chunk rules below;
//    put together they are this grammar (EBNF, `docs` = comments before a
//    chunk, handled by the driver):
//
//      file           ::= ( packageLead-with-';' )? scope-items EOF
//      scope-items    ::= ( declItem ( interface-body | world-body | nested )? )*
//      interface-body ::= interfaceItem* '}'
//      world-body     ::= ( worldItem interface-body? )* '}'  -- inline interfaces
//      nested         ::= scope-items '}'                     -- after a nested
//                                                                `package x:y {`
//
//  * Every rule is LL(1): the generated code decides with `switch (LA(1))`,
//    never with adaptive prediction. The rule structure follows the reference
//    parser (wasm-tools crates/wit-parser/src/ast.rs) closely, because the
//    error messages are named after the rule that fails (src/parse_errors.cpp).
//  * Comma lists are written `open ( item ','? )* close`; a missing comma is
//    rejected where the parser syncs after the item (src/parse_errors.cpp).
grammar Wit;

tokens {
  DOT_CONT,     // a '.' followed by an identifier, integer or '-' (inside versions)
  LEX_ERROR,    // where lexing failed: the parser reports the lexical error here
  DEPTH_LIMIT   // the first token nested too deeply: "type/package nesting too deep"
}

// ---------------------------------------------------------------- chunks
// Elements carry labels: the AST builder reads those fields, so no parse
// tree is built. Rules are kept few (each rule invocation costs an object),
// and where a rule ends is where its error message is decided.

// The first tokens of a file: the `package ns:name;` header, or the opening
// of a nested package `package ns:name {`.
packageLead    : 'package' name=packageName end=packageLeadEnd ;
packageLeadEnd : semi=';' | '{' ;

// One item at file level or inside a nested package (interfaces and worlds
// stop after their '{'; the driver parses their items as chunks).
declItem : gates+=gate*
           ( ikw='interface' name=(ID | EXPLICIT_ID) '{'
           | wkw='world' name=(ID | EXPLICIT_ID) '{'
           | use=toplevelUse
           | pkg=nestedPackageOpen
           ) ;
nestedPackageOpen : 'package' name=packageName '{' ;
toplevelUse       : kw='use' path=usePath ( 'as' alias=(ID | EXPLICIT_ID) )? ';' ;

interfaceItem : gates+=gate*
                ( tdef=typedefItem
                | use=useItem
                | name=(ID | EXPLICIT_ID) ':' sig=funcType ';'
                ) ;

worldItem : gates+=gate*
            ( ( imp='import' | exp='export' ) ext=externKind
            | use=useItem
            | incl=includeItem
            | tdef=typedefItem
            ) ;

// ---------------------------------------------------------------- worlds

// `name: func(..)`, `name: interface {` (items follow as chunks), `iface`,
// `ns:pkg/iface@1.0`, `name: iface`, `name: ns:pkg/iface@1.0`.
externKind     : first=(ID | EXPLICIT_ID) rest=externKindRest ;
externKindRest : ':' target=externTarget | ';' ;
externTarget   : func=funcType ';'
               | kw='interface' '{'
               | second=(ID | EXPLICIT_ID) tail=externPathTail
               ;
externPathTail : slash='/' name=(ID | EXPLICIT_ID) ( '@' ver=version )? ';'   // `ns:pkg/iface`
               | ';'                                                          // `label: iface`
               | colon=':' pkg=(ID | EXPLICIT_ID) '/' name=(ID | EXPLICIT_ID)
                 ( '@' ver=version )? ';'                                     // `label: ns:pkg/iface`
               ;

includeItem  : 'include' path=usePath tail=includeTail ;
includeTail  : 'with' names=includeNames | ';' ;
includeNames : '{' ( names+=(ID | EXPLICIT_ID) 'as' aliases+=(ID | EXPLICIT_ID) ','? )* '}' ;

// ---------------------------------------------------------------- interfaces

useItem  : 'use' path=usePath '.' names=useNames ';' ;
useNames : '{' ( items+=useName ','? )* '}' ;
useName  : name=(ID | EXPLICIT_ID) ( 'as' alias=(ID | EXPLICIT_ID) )? ;

usePath     : first=(ID | EXPLICIT_ID)
              ( ':' pkg=(ID | EXPLICIT_ID) '/' name=(ID | EXPLICIT_ID) ( '@' ver=version )? )? ;
packageName : ns=(ID | EXPLICIT_ID) ':' name=(ID | EXPLICIT_ID) ( '@' ver=version )? ;

funcType  : async='async'? kw='func' params=paramList ( '->' result=ty )? ;
paramList : '(' ( names+=(ID | EXPLICIT_ID) ':' types+=ty ','? )* ')' ;

// The alternative taken is told by the first token.
typedefItem
  : 'type' name=(ID | EXPLICIT_ID) '=' type=ty ';'
  | 'record' name=(ID | EXPLICIT_ID) fields=recordFields
  | 'flags' name=(ID | EXPLICIT_ID) flags=flagsNames
  | 'variant' name=(ID | EXPLICIT_ID) cases=variantCases
  | 'enum' name=(ID | EXPLICIT_ID) enumCases=enumNames
  | 'resource' name=(ID | EXPLICIT_ID) ( ';' | '{' funcs+=resourceFunc* '}' )
  ;
recordFields : '{' ( names+=(ID | EXPLICIT_ID) ':' types+=ty ','? )* '}' ;
flagsNames   : '{' ( items+=(ID | EXPLICIT_ID) ','? )* '}' ;
variantCases : '{' ( items+=variantCase ','? )* '}' ;
variantCase  : name=(ID | EXPLICIT_ID) ( '(' type=ty ')' )? ;
enumNames    : '{' ( items+=(ID | EXPLICIT_ID) ','? )* '}' ;

resourceFunc : gates+=gate*
               ( ckw='constructor' params=paramList ( '->' result=ty )? ';'
               | name=(ID | EXPLICIT_ID) ':' isStatic='static'? sig=funcType ';'
               ) ;

// ---------------------------------------------------------------- types

// The alternative taken is told by the first token.
ty : 'bool' | 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64'
   | 'f32' | 'f64' | 'char' | 'string' | 'error-context'
   | tuple=tupleTy
   | 'list' '<' elem=ty ( ',' size=INTEGER )? '>'
   | 'map' '<' key=ty ',' value=ty '>'
   | 'option' '<' elem=ty '>'
   | 'result' ( '<' ( '_' ',' err=ty | ok=ty ( ',' err=ty )? ) '>' )?
   | 'future' ( '<' elem=ty '>' )?
   | 'stream' ( '<' elem=ty '>' )?
   | 'own' '<' name=(ID | EXPLICIT_ID) '>'
   | 'borrow' '<' name=(ID | EXPLICIT_ID) '>'
   | name=(ID | EXPLICIT_ID)
   ;
tupleTy : 'tuple' '<' ( items+=ty ','? )* '>' ;

// ---------------------------------------------------------------- gates

// `@since(version = 1.2.3)`, `@unstable(feature = x)`,
// `@deprecated(version = 1.2.3)`, `@external-id("any text")`; names and keys
// are checked as they are parsed (they are ordinary identifiers, not keywords).
gate      : '@' name=gateName '(' ( key=gateKey '=' value=gateValue | str=STRING_LITERAL ) ')' ;
gateName  : name=(ID | EXPLICIT_ID) ;
gateKey   : name=(ID | EXPLICIT_ID) ;
gateValue : ver=version | feature=(ID | EXPLICIT_ID) ;

// Semver as a token sequence, like the reference: `1.2.3-rc.1+build`. The
// empty versionEnd marks where the version ends; it is validated there.
version      : INTEGER dot INTEGER dot patch=INTEGER pre=versionPre? build=versionBuild? versionEnd ;
versionEnd   : ;
dot          : '.' | DOT_CONT ;
versionPre   : '-' pieces+=verPiece* ;
versionBuild : '+' pieces+=verPiece* ;
verPiece     : ID | INTEGER | '-' | DOT_CONT ( ID | INTEGER | '-' ) ;

// ---------------------------------------------------------------- tokens

EQUALS : '=' ;
COMMA  : ',' ;
COLON  : ':' ;
PERIOD : '.' ;
SEMI   : ';' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACE : '{' ;
RBRACE : '}' ;
LT     : '<' ;
GT     : '>' ;
RARROW : '->' ;
STAR   : '*' ;
AT     : '@' ;
SLASH  : '/' ;
PLUS   : '+' ;
MINUS  : '-' ;

USE           : 'use' ;
TYPE          : 'type' ;
FUNC          : 'func' ;
U8            : 'u8' ;
U16           : 'u16' ;
U32           : 'u32' ;
U64           : 'u64' ;
S8            : 's8' ;
S16           : 's16' ;
S32           : 's32' ;
S64           : 's64' ;
F32           : 'f32' ;
F64           : 'f64' ;
CHAR          : 'char' ;
RECORD        : 'record' ;
RESOURCE      : 'resource' ;
OWN           : 'own' ;
BORROW        : 'borrow' ;
FLAGS         : 'flags' ;
VARIANT       : 'variant' ;
ENUM          : 'enum' ;
BOOL          : 'bool' ;
STRING        : 'string' ;
OPTION        : 'option' ;
RESULT        : 'result' ;
FUTURE        : 'future' ;
STREAM        : 'stream' ;
ERROR_CONTEXT : 'error-context' ;
LIST          : 'list' ;
MAP           : 'map' ;
UNDERSCORE    : '_' ;
AS            : 'as' ;
FROM          : 'from' ;
STATIC        : 'static' ;
INTERFACE     : 'interface' ;
TUPLE         : 'tuple' ;
IMPORT        : 'import' ;
EXPORT        : 'export' ;
WORLD         : 'world' ;
PACKAGE       : 'package' ;
CONSTRUCTOR   : 'constructor' ;
ASYNC         : 'async' ;
INCLUDE       : 'include' ;
WITH          : 'with' ;

// Identifiers are lexed generously (any XID run) and validated when parsed,
// so that `Foo_bar` reports "invalid character in identifier".
ID          : ID_START ID_CONTINUE* ;
EXPLICIT_ID : '%' ( ID_START ID_CONTINUE* )? ;
INTEGER     : [0-9]+ ;
STRING_LITERAL : '"' ( ~["\\\t\n\r] | '\\' ( ["'tnr\\] | 'u{' [0-9a-fA-F_]+ '}' | [0-9a-fA-F] [0-9a-fA-F] ) )* '"' ;

WS            : ( [ \t\n] | '\r\n' )+ -> channel(HIDDEN) ;
LINE_COMMENT  : '//' ~'\n'* '\n'? -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' ( BLOCK_COMMENT | . )*? '*/' -> channel(HIDDEN) ;

fragment ID_START    : [\p{XID_Start}_] ;
fragment ID_CONTINUE : [\p{XID_Continue}-] ;
