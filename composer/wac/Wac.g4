// The WAC language (wac's LANGUAGE.md, "WAC Grammar"), as an ANTLR4 combined
// grammar. `antlr4 -Dlanguage=Cpp` turns it into WacParser in the build tree;
// nothing generated is committed.
//
// How the composer uses it (src/wac_parse.cpp):
//  * Tokens come from the hand-written lexer in src/wac_lexer.cpp, which
//    produces exactly the token types declared below, in wac's way: a
//    package name (`ns:pkg@1.2.3`) and a package path (`ns:pkg/a/b@1.2.3`)
//    are single tokens, strings have no escapes, block comments nest, and
//    `///` or `/** */` comments are documentation. The lexer rules at the end
//    only name the token types (the generated WacLexer is not built). A
//    lexical error becomes a LEX_ERROR token, reported only if the parser
//    gets that far, as wac's lazy lexer does.
//  * Token types are numbered in the order of the lexer rules below; the
//    error strategy lists expected tokens in that order ("expected either
//    `func` keyword, `u8` keyword, ..."), so the order follows wac's parser.
//  * No parse tree is built: the AST builder reads the labelled fields.
//  * The checks wac makes while parsing (versions are semver, enum/flags/
//    variant/record bodies are not empty) are made by WacCheckedParser as
//    the tokens are consumed, so the first error in source order wins.
grammar Wac;

tokens { LEX_ERROR }

// ---------------------------------------------------------------- document

document         : directive=packageDirective statements+=statement* EOF ;
packageDirective : PACKAGE name=PACKAGE_NAME ( TARGETS targets=PACKAGE_PATH )? SEMI ;

statement : imp=importStatement
          | type=typeStatement
          | let=letStatement
          | exp=exportStatement
          ;

// ---------------------------------------------------------------- imports

importStatement : IMPORT id=IDENT ( AS ( asId=IDENT | asStr=STRING ) )? COLON ty=importType SEMI ;
importType      : path=PACKAGE_PATH | func=funcType | iface=inlineInterface | id=IDENT ;

// ---------------------------------------------------------------- types

typeStatement : iface=interfaceDecl | world=worldDecl | decl=typeDecl ;

interfaceDecl   : INTERFACE id=IDENT LBRACE items+=interfaceItem* RBRACE ;
inlineInterface : INTERFACE LBRACE items+=interfaceItem* RBRACE ;
interfaceItem   : use=useStatement
                | decl=itemTypeDecl
                | id=IDENT COLON ty=funcTypeRef SEMI
                ;
funcTypeRef     : func=funcType | id=IDENT ;

useStatement : USE path=usePath DOT LBRACE items+=useItem ( COMMA items+=useItem )* COMMA? RBRACE SEMI ;
usePath      : path=PACKAGE_PATH | id=IDENT ;
useItem      : id=IDENT ( AS asId=IDENT )? ;

worldDecl : WORLD id=IDENT LBRACE items+=worldItem* RBRACE ;
worldItem : use=useStatement
          | decl=itemTypeDecl
          | imp=IMPORT path=worldItemPath SEMI
          | exp=EXPORT path=worldItemPath SEMI
          | incl=worldInclude
          ;
worldItemPath : id=IDENT COLON ty=externType   // named item
              | path=PACKAGE_PATH
              | ref=IDENT
              ;
externType    : func=funcType | iface=inlineInterface | id=IDENT ;
worldInclude  : INCLUDE ( path=PACKAGE_PATH | id=IDENT )
                ( WITH LBRACE names+=includeName ( COMMA names+=includeName )* COMMA? RBRACE )? SEMI ;
includeName   : source=IDENT AS target=IDENT ;

typeDecl     : variant=variantDecl | record=recordDecl | flags=flagsDecl | enumDecl_=enumDecl | alias=typeAlias ;
itemTypeDecl : resource=resourceDecl | decl=typeDecl ;

resourceDecl   : RESOURCE id=IDENT ( SEMI | LBRACE methods+=resourceMethod* RBRACE ) ;
resourceMethod : ctor=CONSTRUCTOR params=paramList SEMI
               | id=IDENT COLON isStatic=STATIC? ty=funcType SEMI
               ;

variantDecl : VARIANT id=IDENT LBRACE ( cases+=variantCase ( COMMA cases+=variantCase )* COMMA? )? close=RBRACE ;
variantCase : id=IDENT ( LPAREN ty=valueType RPAREN )? ;
recordDecl  : RECORD id=IDENT LBRACE ( fields+=namedType ( COMMA fields+=namedType )* COMMA? )? close=RBRACE ;
flagsDecl   : FLAGS id=IDENT LBRACE ( flags+=IDENT ( COMMA flags+=IDENT )* COMMA? )? close=RBRACE ;
enumDecl    : ENUM id=IDENT LBRACE ( cases+=IDENT ( COMMA cases+=IDENT )* COMMA? )? close=RBRACE ;
typeAlias   : TYPE id=IDENT EQUALS ( func=funcType | ty=valueType ) SEMI ;

funcType   : FUNC params=paramList ( ARROW results=resultList )? ;
paramList  : LPAREN ( params+=namedType ( COMMA params+=namedType )* COMMA? )? RPAREN ;
resultList : scalar=valueType
           | LPAREN ( named+=namedType ( COMMA named+=namedType )* COMMA? )? RPAREN
           ;
namedType  : id=IDENT COLON ty=valueType ;

valueType : U8 | S8 | U16 | S16 | U32 | S32 | U64 | S64 | F32 | F64 | CHAR | BOOL | STRING_KW
          | TUPLE LT types+=valueType ( COMMA types+=valueType )* COMMA? GT
          | LIST LT elem=valueType GT
          | OPTION LT elem=valueType GT
          | RESULT ( LT ( UNDERSCORE ( COMMA err=valueType )? | ok=valueType ( COMMA err=valueType )? ) GT )?
          | BORROW LT id=IDENT GT
          | id=IDENT
          ;

// ---------------------------------------------------------------- let and export

letStatement    : LET id=IDENT EQUALS value=expr SEMI ;
exportStatement : EXPORT value=expr ( spread=ELLIPSIS | AS ( asId=IDENT | asStr=STRING ) )? SEMI ;

expr        : primary=primaryExpr postfix+=postfixExpr* ;
primaryExpr : created=newExpr
            | open=LPAREN nested=expr close=RPAREN
            | id=IDENT
            ;
newExpr     : NEW pkg=PACKAGE_NAME LBRACE
              ( fill=ELLIPSIS
              | args+=instantiationArg ( COMMA args+=instantiationArg )* ( COMMA fill=ELLIPSIS? )?
              )? close=RBRACE ;
instantiationArg : spread=ELLIPSIS id=IDENT
                 | name=IDENT COLON value=expr
                 | str=STRING COLON value=expr
                 | id=IDENT
                 ;
postfixExpr : DOT id=IDENT
            | open=LBRACKET str=STRING close=RBRACKET
            ;

// ---------------------------------------------------------------- tokens
// In the order expected tokens are listed in error messages.

FUNC        : 'func' ;
U8          : 'u8' ;
S8          : 's8' ;
U16         : 'u16' ;
S16         : 's16' ;
U32         : 'u32' ;
S32         : 's32' ;
U64         : 'u64' ;
S64         : 's64' ;
F32         : 'f32' ;
F64         : 'f64' ;
CHAR        : 'char' ;
BOOL        : 'bool' ;
STRING_KW   : 'string' ;
TUPLE       : 'tuple' ;
LIST        : 'list' ;
OPTION      : 'option' ;
RESULT      : 'result' ;
BORROW      : 'borrow' ;
IDENT       : '%'? WORD ( '-' WORD )* ;
STRING      : '"' ~'"'* '"' ;
PACKAGE_NAME : IDENT ( ':' IDENT )+ ( '@' SEMVER )? ;
PACKAGE_PATH : IDENT ( ':' IDENT )+ ( '/' IDENT )+ ( '@' SEMVER )? ;
IMPORT      : 'import' ;
WITH        : 'with' ;
TYPE        : 'type' ;
RESOURCE    : 'resource' ;
VARIANT     : 'variant' ;
RECORD      : 'record' ;
FLAGS       : 'flags' ;
ENUM        : 'enum' ;
STATIC      : 'static' ;
CONSTRUCTOR : 'constructor' ;
INTERFACE   : 'interface' ;
WORLD       : 'world' ;
EXPORT      : 'export' ;
NEW         : 'new' ;
LET         : 'let' ;
USE         : 'use' ;
INCLUDE     : 'include' ;
AS          : 'as' ;
PACKAGE     : 'package' ;
TARGETS     : 'targets' ;
SEMI        : ';' ;
LBRACE      : '{' ;
RBRACE      : '}' ;
COLON       : ':' ;
EQUALS      : '=' ;
LPAREN      : '(' ;
RPAREN      : ')' ;
ARROW       : '->' ;
LT          : '<' ;
GT          : '>' ;
UNDERSCORE  : '_' ;
LBRACKET    : '[' ;
RBRACKET    : ']' ;
DOT         : '.' ;
ELLIPSIS    : '...' ;
COMMA       : ',' ;
SLASH       : '/' ;
AT          : '@' ;

WS            : [ \t\r\n\f]+ -> channel(HIDDEN) ;
LINE_COMMENT  : '//' ~'\n'* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' ( BLOCK_COMMENT | . )*? '*/' -> channel(HIDDEN) ;

fragment WORD   : [a-z] [a-z0-9]* | [A-Z] [A-Z0-9]* ;
fragment SEMVER : [0-9a-zA-Z.+-]+ ;
