export * from './check-definition';
export * from './definition';
export * from './engine';
export * from './fsm-errors';
export * from './mermaid';
export * from './model';
export * from './dot';
export * from './model-tables';
