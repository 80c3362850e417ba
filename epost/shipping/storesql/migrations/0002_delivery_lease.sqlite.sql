-- The event outbox's delivery lease (shipping.DeliveryLease as JSON): Shippers sharing the
-- store deliver one at a time. A row of its own, so that taking the lease locks it.
INSERT INTO {{prefix}}shipping_meta (name, num, data) VALUES ('delivery', 0, '{}');
