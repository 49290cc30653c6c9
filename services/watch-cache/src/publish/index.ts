export { EventPublisher, type PublisherOptions } from './publisher.js';
